"""sitemap.xml (an index of sections, each a few queries whatever its size) and robots.txt."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from profiles.services.visibility import author_page_hide
from profiles.sitemaps import ResearcherSitemap, WorkSitemap
from tests.factories import make_author
from tests.profiles.invite_helpers import make_owned_author
from works.models import Work

pytestmark = pytest.mark.django_db


def _locs(response) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def _works(n: int, start: int = 0) -> None:
    Work.objects.bulk_create(
        Work(openalex_id=f"W9{start + i:06d}", title=f"Work {i}", updated_date=date(2025, 1, 2))
        for i in range(n)
    )


def test_the_index_lists_every_page_of_every_section(client, monkeypatch):
    monkeypatch.setattr(WorkSitemap, "limit", 5)
    _works(12)
    make_author(works_in_db=1)

    locs = _locs(client.get("/sitemap.xml"))

    assert locs == [
        "http://testserver/sitemap-researchers.xml",
        "http://testserver/sitemap-works.xml",
        "http://testserver/sitemap-works.xml?p=2",
        "http://testserver/sitemap-works.xml?p=3",
    ]


def test_a_section_lists_pages_by_their_address_with_lastmod(client, monkeypatch):
    monkeypatch.setattr(WorkSitemap, "limit", 5)
    _works(7)

    first = _locs(client.get("/sitemap-works.xml"))
    second = client.get("/sitemap-works.xml", {"p": 2})

    assert first[0] == "http://testserver/works/W9000000/" and len(first) == 5
    assert _locs(second) == [
        "http://testserver/works/W9000005/",
        "http://testserver/works/W9000006/",
    ]
    assert "<lastmod>2025-01-02</lastmod>" in second.content.decode()


@pytest.mark.parametrize("page", ["9", "x", "-1"])
def test_a_page_out_of_range_or_not_a_number_is_404(client, page):
    _works(2)
    assert client.get("/sitemap-works.xml", {"p": page}).status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_researchers_with_works_are_listed_and_hidden_pages_are_not(client):
    shown = make_author(works_in_db=3)
    make_author(works_in_db=0)  # an empty record: nothing to index
    hidden, owner = make_owned_author()
    hidden.works_in_db = 1
    hidden.save(update_fields=["works_in_db"])
    assert hidden.get_absolute_url() in "".join(_locs(client.get("/sitemap-researchers.xml")))

    author_page_hide(author=hidden, user=owner)

    locs = _locs(client.get("/sitemap-researchers.xml"))
    assert f"http://testserver{shown.get_absolute_url()}" in locs
    assert not any(hidden.openalex_id in loc for loc in locs)


@pytest.mark.parametrize("sitemap", [WorkSitemap, ResearcherSitemap])
def test_the_queries_of_a_section_do_not_grow_with_its_size(client, sitemap):
    section = "works" if sitemap is WorkSitemap else "researchers"

    def run(n: int) -> int:
        _works(n, start=Work.objects.count())
        for _ in range(n):
            make_author(works_in_db=1)
        with CaptureQueriesContext(connection) as queries:
            assert len(_locs(client.get(f"/sitemap-{section}.xml"))) >= n
        return len(queries)

    small = run(2)
    # 1: the count (pages), 2: one page of ids
    assert small == 2
    assert run(40) == small


def test_robots_allows_pages_keeps_crawlers_out_of_accounts_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    for path in ("/accounts/", "/admin/", "/api/", "/inbox/"):
        assert f"Disallow: {path}\n" in text
    assert "Disallow: /researchers/\n" not in text and "Disallow: /works/\n" not in text
    assert f"Sitemap: http://testserver{reverse('profiles:sitemap')}" in text
