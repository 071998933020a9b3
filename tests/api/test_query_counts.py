"""Every list is a fixed number of queries whatever its per-page: a COUNT, the page's rows,
then one batch read per kind of related data (asserted at two page sizes)."""

import pytest

from graph.services import trust_score_compute
from profiles.services.claims import claim_approve, claim_request
from profiles.services.follows import follow_create
from profiles.services.owner import owner_profile_update, owner_work_exclude
from tests.factories import make_busy_researcher, make_user
from works.models import Author, Institution

pytestmark = pytest.mark.django_db

SIZES = (2, 40)


@pytest.fixture
def busy():
    """45 works of six authors each over 45 co-authors, 5 topics and 3 institutions; the
    researcher's claim proven, their affiliation chosen, a "Not me", a follower, a trust
    score; a second proven owner among the co-authors."""
    researcher = make_busy_researcher(works=45, coauthors=45, topics=5)
    staff = make_user(is_staff=True)
    for author in (researcher, Author.objects.get(display_name="Coauthor 1")):
        owner = make_user()
        claim_approve(claim=claim_request(user=owner, author=author), moderator=staff, reason="")
        follow_create(user=make_user(), author=author)
        trust_score_compute(author_id=author.id)
    owner_profile_update(
        author=researcher,
        user=owner if author == researcher else researcher.claims.get().user,
        summary="Robust models",
        open_to_collaborate=True,
        shown_institution_id=Institution.objects.order_by("id").last().id,
    )
    owner_work_exclude(
        author=researcher,
        work=researcher.works.order_by("id").first(),
        user=researcher.claims.get().user,
        reason="not me",
    )
    return researcher


@pytest.mark.parametrize("per_page", SIZES)
def test_works_of_an_author(client, django_assert_num_queries, busy, per_page):
    # 1 COUNT, 2 the page's works with their venue, 3 their bylines with the authors, 4 the
    # institutions of those places, 5 their topics, 6 the live claims of their authors,
    # 7 owners' additions among them.
    with django_assert_num_queries(7):
        response = client.get(
            f"/api/works?filter=author.id:{busy.openalex_id}&per-page={per_page}"
            "&sort=cited_by_count:desc"
        )
    assert response.status_code == 200
    assert len(response.json()["results"]) == per_page


@pytest.mark.parametrize("per_page", SIZES)
def test_works_by_cursor(client, django_assert_num_queries, busy, per_page):
    first = client.get(f"/api/works?per-page={per_page}&cursor=*&sort=publication_year:desc")
    cursor = first.json()["meta"]["next_cursor"]
    # The same seven, the page read as a keyset range after the cursor's values.
    with django_assert_num_queries(7):
        response = client.get(
            f"/api/works?per-page={per_page}&cursor={cursor}&sort=publication_year:desc"
        )
    assert len(response.json()["results"]) == min(per_page, 45 - per_page)


@pytest.mark.parametrize("per_page", SIZES)
def test_authors(client, django_assert_num_queries, busy, per_page):
    # 1 COUNT, 2 the page's authors with claim, owner and follower columns, 3 their last
    # known institutions, 4 the institutions owners chose to show, 5 their topics, 6 their
    # trust scores, 7 the owners' corrections.
    with django_assert_num_queries(7):
        response = client.get(f"/api/authors?per-page={per_page}&sort=works_count:desc")
    results = response.json()["results"]
    assert len(results) == per_page
    assert results[0]["bzpeer"]["trust"]["score"] is not None
    assert results[0]["last_known_institutions"][0]["display_name"] == "Institute 2"


@pytest.mark.parametrize("per_page", SIZES)
def test_institutions_and_topics(client, django_assert_num_queries, busy, per_page):
    for entity in ("institutions", "topics"):
        # 1 COUNT, 2 the page.
        with django_assert_num_queries(2):
            response = client.get(f"/api/{entity}?per-page={per_page}")
        assert response.status_code == 200


def test_one_author_and_one_work(client, django_assert_num_queries, busy):
    # 1 the author, 2 last known institutions, 3 the chosen one, 4 topics, 5 trust, 6 corrections.
    with django_assert_num_queries(6):
        assert client.get(f"/api/authors/{busy.openalex_id}").status_code == 200
    work = busy.works.order_by("id").last()
    # 1 the work, then the five batch reads of a list.
    with django_assert_num_queries(6):
        assert client.get(f"/api/works/{work.openalex_id}").status_code == 200
