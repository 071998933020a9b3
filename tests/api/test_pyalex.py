"""pyalex, unmodified, reads BZPEER through /api/ as it reads api.openalex.org.

pyalex builds every URL on https://api.openalex.org whatever its config says, and opens a
requests session per call (pyalex.api._get_requests_session). The one thing this test changes
is where that session's requests go: a transport adapter mounted on "https://api.openalex.org"
sends them to the live server's /api/ (what a proxy in front of BZPEER would do). Everything
else is the real thing: pyalex's URLs, its paging, its parsing, its abstract helper, our
server over HTTP with the real database."""

from urllib.parse import urlsplit

import pyalex
import pytest
import requests
from pyalex import Authors, Institutions, Topics, Works
from requests.adapters import HTTPAdapter

from graph.services import trust_score_compute
from tests.api.conftest import RECORDED_WORK, recorded
from tests.factories import make_work

OPENALEX = "https://api.openalex.org"


class ToLiveServer(HTTPAdapter):
    """Sends https://api.openalex.org/<path>?<query> to <live server>/api/<path>?<query>."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self.base_url = base_url

    def send(self, request: requests.PreparedRequest, **kwargs: object) -> requests.Response:
        parts = urlsplit(request.url)
        request.url = f"{self.base_url}/api{parts.path}" + (
            f"?{parts.query}" if parts.query else ""
        )
        return super().send(request, **kwargs)


@pytest.fixture
def via_live_server(live_server, monkeypatch):
    make_session = pyalex.api._get_requests_session

    def session_to_live_server() -> requests.Session:
        session = make_session()  # pyalex's own session, retries and all
        session.mount(OPENALEX, ToLiveServer(live_server.url))  # longest prefix wins
        return session

    monkeypatch.setattr(pyalex.api, "_get_requests_session", session_to_live_server)
    monkeypatch.setitem(pyalex.config, "email", "tests@bzpeer.example")


@pytest.mark.django_db(transaction=True)
def test_pyalex_reads_bzpeer(imported, curated, via_live_server):
    author = curated["author"]
    for year in range(2000, 2012):  # enough works for three pages of five
        make_work(authors=[author], title=f"Early work {year}", publication_year=year)
    trust_score_compute(author_id=author.id)

    # An author, by short id and by ORCID, with BZPEER's curated view.
    record = Authors()[author.openalex_id]
    assert record["display_name"] == "Mitchell Wortsman"
    assert Authors()["orcid:0000-0002-1825-0097"]["id"] == record["id"]
    assert record["works_count"] == 14  # 12 + Model soups + the work they added; not the other
    assert record["bzpeer"]["claim"]["state"] == "proven"
    assert record["bzpeer"]["verification"]["level"] == 4
    assert record["bzpeer"]["trust"]["score"] > 0
    assert record["bzpeer"]["followers_count"] == 1

    # Their works, filtered as pyalex writes filters, counted, and paged with a cursor.
    theirs = Works().filter(authorships={"author": {"id": author.openalex_id}})
    assert theirs.count() == 14
    pages = list(
        Works()
        .filter(author={"id": author.openalex_id})
        .sort(publication_year="desc")
        .paginate(per_page=5)
    )
    assert [len(page) for page in pages] == [5, 5, 4]
    ids = [w["id"] for page in pages for w in page]
    assert len(set(ids)) == 14
    years = [w["publication_year"] for page in pages for w in page]
    assert years == sorted(years, reverse=True)
    titles = {w["title"] for page in pages for w in page}
    assert "Added by the owner" in titles and "Not theirs" not in titles
    assert pages[0].meta["count"] == 14

    # Filters with OR, NOT and ranges, as pyalex's helpers write them.
    assert Works().filter_or(publication_year=[2000, 2001]).count() == 2
    # 2011, 2021 (the work they added) and 2022 (Model soups).
    later = Works().filter(author={"id": author.openalex_id}).filter_gt(publication_year=2010)
    assert later.count() == 3
    assert Works().filter_not(type="article").count() == 0
    both_authors = Works().filter(
        authorships={"author": {"id": [author.openalex_id, curated["namesake"].openalex_id]}}
    )
    assert [w["title"] for w in both_authors.get()] == ["Model soups"]  # "+" is AND

    # Search, and an abstract read through pyalex's own inverted-index helper.
    found = Works().search("state of OA").get()
    assert [w["id"] for w in found] == ["https://openalex.org/W2741809807"]
    real = recorded(RECORDED_WORK)
    work = Works()["https://doi.org/10.7717/peerj.4375"]
    assert work["abstract"] == pyalex.invert_abstract(real["abstract_inverted_index"])
    assert work["abstract"].startswith("Despite growing interest in Open Access (OA)")
    soups = Works()[curated["kept"].openalex_id]
    assert soups["abstract"] == "Model soups average the weights."
    why = {a["author"]: a["attached"] for a in soups["bzpeer"]["authorships"]}
    assert why[record["id"]] == "openalex"

    # Institutions and topics, and several records at once (pyalex's list form).
    assert Institutions()["I4210166736"]["ror"] == "https://ror.org/05ppvf150"
    assert Topics()["T10102"]["display_name"] == real["primary_topic"]["display_name"]
    both = Works()[["W2741809807", curated["kept"].openalex_id]]
    assert len(both) == 2

    # A bad filter is pyalex's QueryError, carrying our message.
    with pytest.raises(pyalex.api.QueryError, match="not a valid field"):
        Works().filter(nonsense=1).get()
