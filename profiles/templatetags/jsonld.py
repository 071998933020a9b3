"""schema.org JSON-LD for search engines: a Person on researcher pages, a ScholarlyArticle on
work pages. Built from what the page's selectors loaded already (no query of its own), and
written so that no value can end the <script> element it sits in."""

import json
from typing import Any

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from works.selectors import openalex_url, ror_url

register = template.Library()

# Authors named in a work's ScholarlyArticle: a consortium paper lists thousands.
WORK_AUTHORS_MAX = 50

# As django.utils.html.json_script: "</script>", "<!--" and "&" cannot appear in the output,
# whatever a name or title holds; JSON parsers read the escapes back as the same characters.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def ld_json_script(data: dict[str, Any]) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _without_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in ("", None, [])}


@register.simple_tag
def person_jsonld(researcher: Any) -> SafeString:
    """A researcher page's Person (profiles.selectors.researcher.ResearcherPage)."""
    author = researcher.author
    same_as = [researcher.openalex_url]
    if author.orcid:
        same_as.append(f"https://orcid.org/{author.orcid}")
    affiliations = [
        _without_empty(
            {
                "@type": "Organization",
                "name": institution.display_name,
                "sameAs": ror_url(institution.ror),
            }
        )
        for institution in researcher.affiliations
    ]
    return ld_json_script(
        _without_empty(
            {
                "@context": "https://schema.org",
                "@type": "Person",
                "name": author.display_name,
                "url": _absolute(author.get_absolute_url()),
                "affiliation": affiliations,
                "sameAs": [url for url in same_as if url],
            }
        )
    )


@register.simple_tag
def work_jsonld(work: Any) -> SafeString:
    """A work page's ScholarlyArticle (works.selectors.work_get_for_page): the first
    WORK_AUTHORS_MAX places of its byline, from the authorships the page prefetched."""
    authors = []
    for authorship in list(work.authorships.all())[:WORK_AUTHORS_MAX]:
        person = {"@type": "Person"}
        if getattr(authorship, "author_is_public", False):
            person["name"] = authorship.author.display_name
            person["url"] = _absolute(authorship.author.get_absolute_url())
        else:
            person["name"] = authorship.raw_author_name or authorship.author.display_name
        authors.append(person)
    published = work.publication_date.isoformat() if work.publication_date else None
    if published is None and work.publication_year:
        published = str(work.publication_year)
    doi_url = f"https://doi.org/{work.doi}" if work.doi else ""
    identifier = (
        {"@type": "PropertyValue", "propertyID": "DOI", "value": work.doi} if work.doi else None
    )
    source = getattr(work, "primary_source", None)
    return ld_json_script(
        _without_empty(
            {
                "@context": "https://schema.org",
                "@type": "ScholarlyArticle",
                "name": work.title,
                "url": _absolute(work.get_absolute_url()),
                "author": authors,
                "datePublished": published,
                "identifier": identifier,
                "isPartOf": {"@type": "Periodical", "name": source.display_name}
                if source
                else None,
                "sameAs": [url for url in (doi_url, openalex_url(work.openalex_id)) if url],
            }
        )
    )
