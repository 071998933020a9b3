"""Plain make-style factories with overridable defaults (djangoproject.com's checklists style).

make_work() creates the authorships in the order given and brings works.CoAuthorship up to
date for those authors, as the importer does.
"""

import functools
import itertools
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser

from works.models import (
    Author,
    Authorship,
    Institution,
    Source,
    Topic,
    Work,
    WorkTopic,
)
from works.names import search_name_build
from works.services import author_links_refresh

_ids = itertools.count(1)


def _next_id(prefix: str) -> str:
    # Demo-style ids ("ADEMO…"): never mistaken for real OpenAlex records.
    return f"{prefix}DEMO{next(_ids):07d}"


def make_institution(**overrides: Any) -> Institution:
    fields = {
        "openalex_id": _next_id("I"),
        "display_name": "University of Somewhere",
        "country_code": "US",
        "type": "education",
        "ror": "https://ror.org/00cvxb145",
        "homepage_url": "https://www.example.edu/",
    }
    return Institution.objects.create(**(fields | overrides))


def make_source(**overrides: Any) -> Source:
    fields = {
        "openalex_id": _next_id("S"),
        "display_name": "Journal of Examples",
        "type": "journal",
    }
    return Source.objects.create(**(fields | overrides))


def make_topic(**overrides: Any) -> Topic:
    fields = {
        "openalex_id": _next_id("T"),
        "display_name": "Example Topic",
        "subfield": "Artificial Intelligence",
        "field": "Computer Science",
        "domain": "Physical Sciences",
    }
    return Topic.objects.create(**(fields | overrides))


def make_author(*, last_known_institutions: Iterable[Institution] = (), **overrides: Any) -> Author:
    fields = {"openalex_id": _next_id("A"), "display_name": "Ada Example"}
    fields |= overrides
    if "search_name" not in overrides:
        fields["search_name"] = search_name_build(
            fields["display_name"], fields.get("display_name_alternatives", [])
        )
    author = Author.objects.create(**fields)
    author.last_known_institutions.set(last_known_institutions)
    return author


def make_work(
    *,
    authors: Sequence[Author | tuple[Author, Sequence[Institution]]] = (),
    topics: Sequence[Topic] = (),
    **overrides: Any,
) -> Work:
    """A work with authorships in the given order. An entry of authors may be
    (author, [institutions]) to record the author's institutions on this work."""
    fields = {
        "openalex_id": _next_id("W"),
        "title": "An Example Work",
        "type": "article",
        "publication_year": 2022,
        "publication_date": date(2022, 6, 1),
    }
    fields |= overrides
    if "publication_year" in overrides and "publication_date" not in overrides:
        fields["publication_date"] = (
            date(fields["publication_year"], 6, 1) if fields["publication_year"] else None
        )
    work = Work.objects.create(**fields)
    author_ids = []
    for order, entry in enumerate(authors):
        author, institutions = entry if isinstance(entry, tuple) else (entry, ())
        position = "first" if order == 0 else "last" if order == len(authors) - 1 else "middle"
        authorship = Authorship.objects.create(
            work=work, author=author, order=order, position=position
        )
        authorship.institutions.set(institutions)
        author_ids.append(author.id)
    for index, topic in enumerate(topics):
        WorkTopic.objects.create(
            work=work, topic=topic, score=1.0 - index / 100, is_primary=index == 0
        )
    author_links_refresh(author_ids=author_ids)
    return work


def make_busy_researcher(
    *, works: int, coauthors: int, topics: int, institutions: int = 3, **overrides: Any
) -> Author:
    """A researcher with `works` works spread over pools of co-authors, topics and
    institutions, every work naming several of each: the "large" side of query-count tests."""
    pool_institutions = [
        make_institution(display_name=f"Institute {i}") for i in range(institutions)
    ]
    researcher = make_author(
        display_name="Busy Researcher", last_known_institutions=pool_institutions[:1], **overrides
    )
    pool_coauthors = [
        make_author(display_name=f"Coauthor {i}", last_known_institutions=pool_institutions[1:2])
        for i in range(coauthors)
    ]
    pool_topics = [make_topic(display_name=f"Topic {i}") for i in range(topics)]
    sources = [make_source(display_name=f"Venue {i}") for i in range(3)]
    for n in range(works):
        others = [pool_coauthors[(n + k) % coauthors] for k in range(min(5, coauthors))]
        insts = [pool_institutions[(n + k) % institutions] for k in range(min(2, institutions))]
        make_work(
            authors=[(researcher, insts), *[(o, insts[:1]) for o in others]],
            topics=[pool_topics[(n + k) % topics] for k in range(min(3, topics))],
            title=f"Busy work {n}",
            publication_year=2000 + n % 25,
            primary_source=sources[n % 3],
            abstract="word " * 80,
        )
    return researcher


PASSWORD = "correct horse battery staple"
_user_ids = itertools.count(1)


@functools.cache
def _password_hash() -> str:
    # Hashing is slow on purpose; once per test run is enough.
    return make_password(PASSWORD)


def make_user(
    *, email: str = "", verified: bool = True, is_staff: bool = False, **overrides: Any
) -> AbstractUser:
    """An account that logs in with `email` and PASSWORD; its address verified (allauth's
    EmailAddress) unless verified=False."""
    n = next(_user_ids)
    email = email or f"user{n}@example.org"
    user = get_user_model().objects.create(
        username=f"user{n}", email=email, password=_password_hash(), is_staff=is_staff, **overrides
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user
