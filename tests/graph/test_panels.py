"""The trust and graph panels of the researcher page: htmx fragments served by graph/views.py,
computed by a real Celery worker on Redis (tests/conftest.py celery_worker)."""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from graph.models import GraphSlice, TrustScore
from graph.services import graph_slice_compute, trust_score_compute
from tests.conftest import celery_broker
from tests.factories import make_author, make_busy_researcher, make_topic, make_work
from works.models import Author

HTMX = {"HX-Request": "true"}
CLOSED_PORT = "redis://127.0.0.1:1/0"


def _trust_url(author: Author, query: str = "") -> str:
    return reverse("graph:trust-panel", args=[author.openalex_id]) + query


def _graph_url(author: Author, query: str = "") -> str:
    return reverse("graph:graph-panel", args=[author.openalex_id]) + query


def _poll_until_ready(client, url: str, seconds: float = 15) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        html = client.get(url, headers=HTMX).content.decode()
        if 'hx-trigger="every 2s"' not in html:
            return html
        time.sleep(0.1)
    pytest.fail(f"{url} still building after {seconds} s")


# --- through the worker --------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_view_queues_one_computation_and_the_poll_returns_the_score(
    client, held_worker, published_tasks
):
    author = make_author(display_name="Ada Example", orcid="0000-0002-1825-0097")
    make_work(authors=[author, make_author()], doi="10.1/x")

    first = client.get(_trust_url(author), headers=HTMX).content.decode()
    # Another visitor while it is being computed: it waits for the same computation.
    second = client.get(_trust_url(author), headers=HTMX).content.decode()

    for html in (first, second):
        assert "Computing the trust score" in html
        assert f'hx-get="{_trust_url(author, "?poll=1")}" hx-trigger="every 2s"' in html
        assert "<html" not in html
    assert published_tasks == [("graph.tasks.trust_score_compute", (author.id,))]

    held_worker.set()
    ready = _poll_until_ready(client, _trust_url(author, "?poll=1"))

    score = TrustScore.objects.get(author=author)
    assert f'<strong class="score">{score.score}</strong>' in ready
    assert f"Why {score.score}?" in ready
    assert "ORCID iD 0000-0002-1825-0097 on the record: +10" in ready
    assert "hx-trigger" not in ready
    assert score.queued_at is None
    # The next view finds the score current and queues nothing.
    client.get(_trust_url(author), headers=HTMX)
    assert len(published_tasks) == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_the_demo_graph_slice_with_the_closest_collaborators(
    client, held_worker, published_tasks
):
    call_command("load_demo", "--quiet")
    demo = Author.objects.get(openalex_id="ADEMO0001")

    building = client.get(_graph_url(demo), headers=HTMX).content.decode()

    assert "Building this graph slice" in building
    assert 'hx-trigger="every 2s"' in building
    assert published_tasks == [("graph.tasks.graph_slice_compute", (demo.id,))]

    held_worker.set()
    html = _poll_until_ready(client, _graph_url(demo, "?poll=1"))

    assert "<svg" in html and "Research graph around Mitchell Wortsman" in html
    for name in ("Ali Farhadi", "Gabriel Ilharco", "Ludwig Schmidt"):
        assert name in html
    for topic in ("Robustness to Distribution Shift", "Model Ensembling and Weight Averaging"):
        assert topic in html
    assert "Robust fine-tuning of zero-shot models" in html
    assert "University of Washington" in html
    ali = Author.objects.get(display_name="Ali Farhadi")
    assert f'href="{ali.get_absolute_url()}"' in html
    assert "Building this graph slice" not in html


@pytest.mark.django_db(transaction=True)
def test_an_import_makes_the_stored_slice_stale_and_the_next_view_rebuilds_it(
    client, celery_worker, published_tasks
):
    author = make_author()
    make_work(authors=[author, make_author(display_name="First Coauthor")])
    _poll_until_ready(client, _graph_url(author))
    assert len(published_tasks) == 1

    make_work(authors=[author, make_author(display_name="Later Coauthor")])
    call_command("load_demo", "--quiet")  # any import moves the corpus version

    client.get(_graph_url(author), headers=HTMX)
    html = _poll_until_ready(client, _graph_url(author, "?poll=1"))
    assert len(published_tasks) == 2
    assert "Later Coauthor" in html


# --- when the worker or the broker is not answering ----------------------------------------
# Tasks are queued on commit: tests that queue one need a database that commits.


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_broker_says_the_worker_is_not_answering_and_the_page_is_fine(client):
    author = make_author()
    with celery_broker(CLOSED_PORT):
        started = time.monotonic()
        trust = client.get(_trust_url(author), headers=HTMX)
        graph = client.get(_graph_url(author), headers=HTMX)
        elapsed = time.monotonic() - started
        page = client.get(author.get_absolute_url())

    assert elapsed < 8
    assert trust.status_code == graph.status_code == page.status_code == 200
    for response, url in ((trust, _trust_url(author)), (graph, _graph_url(author))):
        html = response.content.decode()
        assert "is not answering" in html
        assert f'href="{url}" hx-get="{url}"' in html  # "Try again", with and without htmx
        assert "every 2s" not in html
    # The claim was released: "Try again" may queue at once.
    assert TrustScore.objects.get(author=author).queued_at is None
    assert GraphSlice.objects.get(author=author).queued_at is None


@pytest.mark.django_db
def test_a_computation_queued_long_ago_without_a_result_means_a_silent_worker(client):
    author = make_author()
    TrustScore.objects.create(author=author, queued_at=timezone.now() - timedelta(minutes=2))

    # The poll after the one that queued it again (below) only reports.
    html = client.get(_trust_url(author, "?poll=2"), headers=HTMX).content.decode()

    assert "The worker that computes trust scores is not answering" in html
    assert "every 2s" not in html


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("panel", ["trust", "graph"])
def test_a_poll_queues_a_silent_computation_once_more(client, published_tasks, panel):
    # A worker killed mid-task leaves its task unacknowledged until the broker's visibility
    # timeout: the panel's poll must not wait that out, nor poll for ever.
    author = make_author()
    model, url = {"trust": (TrustScore, _trust_url), "graph": (GraphSlice, _graph_url)}[panel]
    long_ago = timezone.now() - timedelta(minutes=2)
    model.objects.create(author=author, queued_at=long_ago)

    with celery_broker("memory://"):  # takes the task; no worker answers
        requeued = client.get(url(author, "?poll=1"), headers=HTMX).content.decode()
        model.objects.filter(author=author).update(queued_at=long_ago)  # silent again
        given_up = client.get(url(author, "?poll=2"), headers=HTMX).content.decode()

    assert len(published_tasks) == 1
    assert f'hx-get="{url(author, "?poll=2")}" hx-trigger="every 2s"' in requeued
    assert "not answering" not in requeued
    assert "not answering" in given_up and "every 2s" not in given_up


@pytest.mark.django_db(transaction=True)
def test_a_task_that_fails_in_process_says_not_answering_instead_of_a_500(client, monkeypatch):
    # The zero-setup default runs tasks in-process, in the request: one that fails even after
    # its retries ("database is locked" on SQLite) must not become the request's exception.
    from django.db import OperationalError

    def locked(**kwargs: object) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr("graph.services.trust_score_compute", locked)
    author = make_author()

    with celery_broker("memory://", eager=True):
        response = client.get(_trust_url(author), headers=HTMX)

    assert response.status_code == 200
    assert "The worker that computes trust scores is not answering" in response.content.decode()
    assert TrustScore.objects.get(author=author).queued_at is None  # "Try again" may queue


@pytest.mark.django_db(transaction=True)
def test_a_stale_score_stays_visible_while_it_is_recomputed(client, published_tasks):
    author = make_author()
    trust_score_compute(author_id=author.id)
    TrustScore.objects.filter(author=author).update(is_stale=True)

    # A broker that takes the task but has no worker: the panel keeps polling.
    with celery_broker("memory://"):
        html = client.get(_trust_url(author), headers=HTMX).content.decode()

    assert '<strong class="score">' in html
    assert "being recomputed from newer data" in html
    assert 'hx-trigger="every 2s"' in html
    assert len(published_tasks) == 1


# --- fragments, pages and links ------------------------------------------------------------


@pytest.mark.django_db
def test_the_researcher_page_loads_both_panels_and_holds_no_score(client):
    author = make_author()
    trust_score_compute(author_id=author.id)

    html = client.get(author.get_absolute_url()).content.decode()

    trust_url, graph_url = _trust_url(author), _graph_url(author)
    assert f'hx-get="{trust_url}" hx-trigger="load"' in html
    assert f'<a href="{trust_url}">See the score and why</a>' in html
    assert f'hx-get="{graph_url}" hx-trigger="load"' in html
    assert f'<a href="{graph_url}">Open the research graph</a>' in html
    assert '<strong class="score">' not in html


@pytest.mark.django_db(transaction=True)
def test_without_javascript_a_panel_opens_as_a_page(client):
    author = make_author(display_name="Ada Example")

    html = client.get(_trust_url(author)).content.decode()

    # No broker in the zero-setup settings of the test run: computed in-process.
    assert "<html" in html
    assert "Trust score of Ada Example" in html
    assert '<strong class="score">' in html
    assert "HX-Request" in client.get(_trust_url(author)).headers["Vary"]


@pytest.mark.django_db
def test_the_panels_of_an_unknown_researcher_are_404(client):
    assert client.get("/researchers/ANOPE/trust/", headers=HTMX).status_code == 404
    assert client.get("/researchers/ANOPE/graph-panel/", headers=HTMX).status_code == 404


@pytest.mark.django_db
def test_the_about_page_explains_the_method(client):
    html = client.get(reverse("graph:about-trust")).content.decode()

    assert "How the trust score works" in html
    for words in ("Identity, up to 30", "Disputes and reports, down to −30", "Emerging"):
        assert words in html


@pytest.mark.django_db
def test_the_recompute_command_scores_everyone(capsys):
    authors = [make_author() for _ in range(3)]
    make_work(authors=authors)

    call_command("recompute_trust", "--batch-size", "2")

    assert TrustScore.objects.filter(computed_at__isnull=False).count() == 3
    assert "Recomputed 3 trust scores." in capsys.readouterr().out


# --- query counts ------------------------------------------------------------------------------


def _researcher(size: str) -> Author:
    if size == "large":
        return make_busy_researcher(works=60, coauthors=40, topics=30, institutions=6)
    author = make_author()
    make_work(authors=[author, make_author()], topics=[make_topic()])
    return author


@pytest.mark.django_db
@pytest.mark.parametrize("size", ["small", "large"])
def test_the_trust_panel_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, size
):
    author = _researcher(size)
    trust_score_compute(author_id=author.id)

    with django_assert_max_num_queries(3):
        # 1 the author
        # 2 the inputs' fingerprint (corpus version, followers, live claim: subqueries)
        # 3 the stored score
        response = client.get(_trust_url(author), headers=HTMX)

    assert "Why " in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("size", ["small", "large"])
def test_the_graph_panel_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, size
):
    author = _researcher(size)
    graph_slice_compute(author_id=author.id)

    with django_assert_max_num_queries(3):
        # 1 the author
        # 2 the corpus version (the slice's fingerprint)
        # 3 the stored slice
        response = client.get(_graph_url(author), headers=HTMX)

    assert "<svg" in response.content.decode()
