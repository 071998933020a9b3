"""schema.org JSON-LD on researcher pages (Person) and work pages (ScholarlyArticle), read back
from the served HTML as a search engine would."""

import json
import re

import pytest

from profiles.templatetags.jsonld import WORK_AUTHORS_MAX
from tests.factories import make_author, make_institution, make_source, make_work

pytestmark = pytest.mark.django_db

HOSTILE = 'Eve </script><script>alert("x")</script> & <!-- Co'


def _jsonld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_a_researcher_page_carries_a_person(client):
    uw = make_institution(display_name="University of Washington", ror="https://ror.org/00cvxb145")
    author = make_author(
        openalex_id="A5000000001",
        display_name="Mitchell Wortsman",
        orcid="0000-0002-1825-0097",
        last_known_institutions=[uw],
    )
    make_work(authors=[author])

    (person,) = _jsonld(client.get(author.get_absolute_url()).content.decode())

    assert person["@context"] == "https://schema.org" and person["@type"] == "Person"
    assert person["name"] == "Mitchell Wortsman"
    assert person["url"] == f"http://testserver{author.get_absolute_url()}"
    assert person["affiliation"] == [
        {
            "@type": "Organization",
            "name": "University of Washington",
            "sameAs": "https://ror.org/00cvxb145",
        }
    ]
    assert person["sameAs"] == [
        f"https://openalex.org/{author.openalex_id}",
        "https://orcid.org/0000-0002-1825-0097",
    ]


def test_a_work_page_carries_a_scholarly_article_with_a_capped_author_list(client):
    authors = [make_author(display_name=f"Author {i}") for i in range(WORK_AUTHORS_MAX + 3)]
    work = make_work(
        openalex_id="W4200000001",
        authors=authors,
        title="Robust fine-tuning of zero-shot models",
        doi="10.1109/cvpr52688.2022.00780",
        primary_source=make_source(display_name="CVPR"),
    )

    (article,) = _jsonld(client.get(work.get_absolute_url()).content.decode())

    assert article["@type"] == "ScholarlyArticle"
    assert article["name"] == "Robust fine-tuning of zero-shot models"
    assert article["datePublished"] == "2022-06-01"
    assert article["identifier"] == {
        "@type": "PropertyValue",
        "propertyID": "DOI",
        "value": "10.1109/cvpr52688.2022.00780",
    }
    assert article["sameAs"] == [
        "https://doi.org/10.1109/cvpr52688.2022.00780",
        f"https://openalex.org/{work.openalex_id}",
    ]
    assert article["isPartOf"] == {"@type": "Periodical", "name": "CVPR"}
    assert len(article["author"]) == WORK_AUTHORS_MAX
    assert article["author"][0] == {
        "@type": "Person",
        "name": "Author 0",
        "url": f"http://testserver{authors[0].get_absolute_url()}",
    }


def test_a_name_or_title_holding_script_cannot_break_out(client):
    author = make_author(display_name=HOSTILE)
    work = make_work(authors=[author], title=HOSTILE)

    for url in (author.get_absolute_url(), work.get_absolute_url()):
        html = client.get(url).content.decode()
        (data,) = _jsonld(html)
        assert data["name"] == HOSTILE  # read back whole, from a block that ended where it should
        assert '<script>alert("x")' not in html
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
        assert "<" not in block and ">" not in block and "&" not in block


def test_an_undated_work_without_doi_leaves_those_fields_out(client):
    work = make_work(openalex_id="W4200000002", publication_year=None, doi="")

    (article,) = _jsonld(client.get(work.get_absolute_url()).content.decode())

    assert "datePublished" not in article and "identifier" not in article
    assert article["sameAs"] == [f"https://openalex.org/{work.openalex_id}"]
