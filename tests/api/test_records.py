"""Single records: OpenAlex's shapes, compared field by field with what OpenAlex answered for
the same records (imported by the importer), every id form OpenAlex accepts, and the owner's
curation and BZPEER's own view under "bzpeer"."""

import pytest
from pyalex.api import invert_abstract

from graph.services import trust_score_compute
from profiles.services.merges import author_merge_duplicate
from profiles.services.visibility import author_page_hide
from tests.api.conftest import RECORDED_AUTHOR, RECORDED_WORK, recorded
from tests.factories import make_author, make_user

pytestmark = pytest.mark.django_db


def _get(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_a_work_reads_like_openalex_s_own_record(client, imported):
    real = recorded(RECORDED_WORK)
    ours = _get(client, "/api/works/W2741809807")

    # Every field we answer is one OpenAlex has, in the same shape, BZPEER's under one key.
    assert set(ours) - set(real) == {"bzpeer", "is_authors_truncated"}
    for key in ("id", "doi", "title", "display_name", "publication_year", "publication_date",
                "type", "cited_by_count", "language"):  # fmt: skip
        assert ours[key] == real[key], key
    assert ours["ids"]["openalex"] == real["ids"]["openalex"]
    assert ours["ids"]["doi"] == real["ids"]["doi"]
    assert ours["open_access"]["is_oa"] == real["open_access"]["is_oa"]
    assert ours["open_access"]["oa_status"] == real["open_access"]["oa_status"]
    assert ours["primary_location"]["source"]["id"] == real["primary_location"]["source"]["id"]
    assert ours["primary_topic"]["id"] == real["primary_topic"]["id"]
    assert [t["id"] for t in ours["topics"]] == [t["id"] for t in real["topics"]]
    assert ours["topics"][0]["field"]["display_name"] == real["topics"][0]["field"]["display_name"]

    assert len(ours["authorships"]) == len(real["authorships"])
    for mine, theirs in zip(ours["authorships"], real["authorships"], strict=True):
        assert set(mine) <= set(theirs)
        assert mine["author"] == theirs["author"]
        assert mine["author_position"] == theirs["author_position"]
        assert mine["raw_author_name"] == theirs["raw_author_name"]
        assert mine["is_corresponding"] == theirs["is_corresponding"]
        assert {i["id"] for i in mine["institutions"]} == {i["id"] for i in theirs["institutions"]}
        assert sorted(mine["countries"]) == sorted(theirs["countries"])

    # The abstract: pyalex's own inversion reads the same text from both.
    assert invert_abstract(ours["abstract_inverted_index"]) == invert_abstract(
        real["abstract_inverted_index"]
    )


def test_an_author_reads_like_openalex_s_own_record(client, imported):
    real = recorded(RECORDED_AUTHOR)
    ours = _get(client, "/api/authors/A5048491430")

    assert set(ours) - set(real) == {"bzpeer"}
    for key in ("id", "orcid", "display_name", "cited_by_count", "summary_stats"):
        assert ours[key] == real[key], key
    assert sorted(ours["display_name_alternatives"]) == sorted(real["display_name_alternatives"])
    assert [i["id"] for i in ours["last_known_institutions"]] == [
        i["id"] for i in real["last_known_institutions"]
    ]
    assert set(ours["last_known_institutions"][0]) <= set(real["last_known_institutions"][0])
    # works_count: the works attached to the record in BZPEER's index; OpenAlex's own count
    # is kept under bzpeer.
    assert ours["works_count"] == 1
    assert ours["bzpeer"]["openalex_works_count"] == real["works_count"]
    assert ours["works_api_url"].endswith("/api/works?filter=author.id:A5048491430")
    assert ours["bzpeer"]["claim"] == {"state": "unclaimed", "level": None, "disputed": False}
    assert ours["bzpeer"]["verification"]["level"] == 1


@pytest.mark.parametrize(
    "path",
    [
        "/api/works/W2741809807",
        "/api/works/w2741809807",
        "/api/works/https://openalex.org/W2741809807",
        "/api/works/https%3A%2F%2Fopenalex.org%2FW2741809807",
        "/api/works/openalex:W2741809807",
        "/api/works/doi:10.7717/peerj.4375",
        "/api/works/https://doi.org/10.7717/peerj.4375",
        "/api/works/https%3A%2F%2Fdoi.org%2F10.7717%2Fpeerj.4375",
        "/api/works/doi:10.7717/PEERJ.4375",
    ],
)
def test_a_work_is_found_by_every_id_form_openalex_accepts(client, imported, path):
    assert _get(client, path)["id"] == "https://openalex.org/W2741809807"


@pytest.mark.parametrize(
    "path",
    [
        "/api/authors/A5048491430",
        "/api/authors/https://openalex.org/A5048491430",
        "/api/authors/orcid:0000-0003-1613-5981",
        "/api/authors/https://orcid.org/0000-0003-1613-5981",
    ],
)
def test_an_author_is_found_by_every_id_form_openalex_accepts(client, imported, path):
    assert _get(client, path)["id"] == "https://openalex.org/A5048491430"


def test_institutions_and_topics_by_id(client, imported):
    institution = _get(client, "/api/institutions/I4210166736")
    assert institution["display_name"] == "Impact Technology Development (United States)"
    assert institution["ror"] == "https://ror.org/05ppvf150"
    assert _get(client, "/api/institutions/ror:05ppvf150")["id"] == institution["id"]
    assert _get(client, "/api/institutions/https://ror.org/05ppvf150")["id"] == institution["id"]
    topic = _get(client, "/api/topics/T10102")
    assert topic["id"] == "https://openalex.org/T10102"
    assert topic["domain"]["display_name"] == "Social Sciences"


def test_the_author_record_follows_the_owner_s_curation(client, curated):
    author = curated["author"]
    record = _get(client, f"/api/authors/{author.openalex_id}")
    # Model soups and the added work; not the one they said is not them.
    assert record["works_count"] == 2
    assert record["orcid"] == "https://orcid.org/0000-0002-1825-0097"
    bzpeer = record["bzpeer"]
    assert bzpeer["claim"] == {"state": "proven", "level": 4, "disputed": False}
    assert bzpeer["verification"]["level"] == 4
    assert bzpeer["verification"]["label"] == "Reviewed and confirmed by a moderator"
    assert bzpeer["followers_count"] == 1
    assert bzpeer["corrections"] == {"works_added_by_owner": 1, "works_removed_by_owner": 1}
    assert bzpeer["page_url"] == f"http://testserver/researchers/{author.openalex_id}/"
    assert bzpeer["trust"] is None  # not computed yet

    works = _get(client, f"/api/works?filter=author.id:{author.openalex_id}")
    titles = {w["title"] for w in works["results"]}
    assert titles == {"Model soups", "Added by the owner"}
    assert works["meta"]["count"] == 2
    why = {
        w["title"]: next(
            a["attached"] for a in w["bzpeer"]["authorships"] if a["author"] == record["id"]
        )
        for w in works["results"]
    }
    assert why == {"Model soups": "openalex", "Added by the owner": "added_by_owner"}
    # The namesake no longer holds the added work; the excluded one names nobody of theirs.
    namesake = curated["namesake"].openalex_id
    assert _get(client, f"/api/works?filter=author.id:{namesake}")["meta"]["count"] == 1
    mistaken = _get(client, f"/api/works/{curated['mistaken'].openalex_id}")
    assert record["id"] not in [a["author"]["id"] for a in mistaken["authorships"]]


def test_the_trust_score_with_its_components(client, curated):
    author = curated["author"]
    stored = trust_score_compute(author_id=author.id)
    trust = _get(client, f"/api/authors/{author.openalex_id}")["bzpeer"]["trust"]
    assert trust["score"] == stored.score
    assert trust["label"] == stored.label
    assert [c["key"] for c in trust["components"]] == [
        "identity", "completeness", "footprint", "community", "negatives",
    ]  # fmt: skip
    assert trust["components"][0]["evidence"]


def test_a_work_names_the_verification_of_each_author(client, curated):
    work = _get(client, f"/api/works/{curated['kept'].openalex_id}")
    levels = {a["author"]: a["verification_level"] for a in work["bzpeer"]["authorships"]}
    assert levels == {
        f"https://openalex.org/{curated['author'].openalex_id}": 4,
        f"https://openalex.org/{curated['namesake'].openalex_id}": 1,
    }
    assert work["authorships"][0]["institutions"][0]["display_name"] == "University of Washington"


def test_a_hidden_page_is_not_in_the_api(client, curated):
    author = curated["author"]
    author_page_hide(author=author, user=curated["owner"])

    body = _get(client, f"/api/authors/{author.openalex_id}", status=404)
    assert body["error"] == "404 Not Found"
    assert "not found" in body["message"]
    assert _get(client, "/api/authors/orcid:0000-0002-1825-0097", status=404)
    listed = _get(client, "/api/authors?per-page=200")
    assert author.openalex_id not in {r["id"].rsplit("/", 1)[1] for r in listed["results"]}
    assert _get(client, "/api/authors?search=wortsman")["meta"]["count"] == 1  # the namesake


def test_a_merged_away_id_leads_to_the_record_it_was_merged_into(client):
    staff = make_user(is_staff=True)
    into, duplicate = make_author(display_name="A Person"), make_author(display_name="A Person")
    author_merge_duplicate(into=into, duplicate=duplicate, user=staff)
    response = client.get(f"/api/authors/{duplicate.openalex_id}")
    assert response.status_code == 301
    assert response["Location"] == f"/api/authors/{into.openalex_id}"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_select_keeps_the_root_fields_asked_for(client, curated):
    record = _get(client, f"/api/authors/{curated['author'].openalex_id}?select=id,bzpeer")
    assert set(record) == {"id", "bzpeer"}
    body = _get(client, f"/api/authors/{curated['author'].openalex_id}?select=nope", status=400)
    assert "nope is not a valid select field" in body["message"]
