"""The graph explorer: /researchers/<id>/graph/, filters by kind and depth through htmx."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from graph.services import graph_slice_compute
from tests.factories import make_author, make_busy_researcher, make_topic, make_work
from works.models import Author

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _url(author: Author, query: str = "") -> str:
    return reverse("graph:explorer", args=[author.openalex_id]) + query


def _chain():
    """me — friend — friend of a friend, each pair on one paper."""
    me = make_author(display_name="Me Myself")
    friend = make_author(display_name="Near Friend")
    far = make_author(display_name="Far Friend")
    make_work(authors=[me, friend], title="Our paper", topics=[make_topic(display_name="Ours")])
    make_work(authors=[friend, far], title="Their paper")
    return me, friend, far


def test_it_shows_the_demo_researcher_with_filters_and_lists(client):
    call_command("load_demo", "--quiet")
    demo = Author.objects.get(openalex_id="ADEMO0001")

    html = client.get(_url(demo)).content.decode()

    assert "<html" in html
    assert "Around Mitchell Wortsman" in html
    assert f'<form class="explorer-filters" method="get" action="{_url(demo)}"' in html
    assert 'hx-trigger="change" hx-target="#graph-explorer"' in html
    assert '<input type="checkbox" name="kind" value="work" checked>' in html
    assert "<svg" in html
    for name in ("Ali Farhadi", "Gabriel Ilharco", "Ludwig Schmidt", "University of Washington"):
        assert name in html


def test_the_fragment_filters_by_kind(client):
    me, friend, _ = _chain()

    html = client.get(_url(me, "?kind=author"), headers=HTMX).content.decode()

    assert "<html" not in html
    assert html.lstrip().startswith('<div id="graph-explorer"')
    assert "Near Friend" in html
    assert "Our paper" not in html
    assert "None shown (filtered out)." in html


def test_depth_two_reaches_the_co_authors_collaborators(client):
    me, _, _ = _chain()

    one = client.get(_url(me, "?depth=1"), headers=HTMX).content.decode()
    two = client.get(_url(me, "?depth=2"), headers=HTMX).content.decode()

    assert "Far Friend" not in one
    assert "Far Friend" in two


def test_people_re_centre_the_explorer_with_the_same_filters(client):
    me, friend, _ = _chain()

    html = client.get(_url(me, "?kind=author&kind=work&depth=2")).content.decode()

    recentre = _url(friend, "?kind=author&amp;kind=work&amp;depth=2")
    assert f'<a class="small" href="{recentre}"' in html
    assert f'<a href="{friend.get_absolute_url()}">Near Friend</a>' in html
    assert client.get(_url(friend, "?depth=2")).status_code == 200


def test_bad_filters_fall_back_to_everything_at_depth_one(client):
    me, _, _ = _chain()

    html = client.get(_url(me, "?kind=nonsense&depth=9")).content.decode()

    assert "Our paper" in html and "Near Friend" in html
    assert '<input type="radio" name="depth" value="1" checked>' in html


def test_an_unknown_researcher_is_404(client):
    assert client.get("/researchers/ANOPE/graph/").status_code == 404


def test_the_graph_panel_links_to_the_explorer(client):
    me, _, _ = _chain()
    graph_slice_compute(author_id=me.id)

    html = client.get(reverse("graph:graph-panel", args=[me.openalex_id]), headers=HTMX)

    assert f'<a href="{_url(me)}">Explore the graph' in html.content.decode()


@pytest.mark.parametrize("size", ["small", "large"])
def test_it_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, size):
    if size == "small":
        author, _, _ = _chain()
    else:
        author = make_busy_researcher(works=60, coauthors=40, topics=30, institutions=6)

    with django_assert_max_num_queries(8):
        # 1 the author
        # 2 their works (most cited first, at most 200)
        # 3 their closest co-authors (at most 60)
        # 4 which of those co-authors wrote which of those works
        # 5 the topics of those works
        # 6 the institutions on their authorships
        # 7 their last known institutions
        # 8 the second hop: the closest collaborators of their closest co-authors
        response = client.get(_url(author, "?depth=2"), headers=HTMX)

    assert "<svg" in response.content.decode()
