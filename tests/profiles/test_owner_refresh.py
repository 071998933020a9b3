"""An owner's "Refresh from OpenAlex" and beat's daily refresh of claimed records: queued as
works.ApiSync runs, fetched by a real Celery worker from a local OpenAlex
(tests/works/openalex_api_server.py), at most one owner's refresh an hour (429 after)."""

import threading
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from profiles.services.claims import claim_approve, claim_request
from tests.factories import make_author, make_user
from tests.works.openalex_api_server import OpenAlexServer
from works.models import ApiSync, Work

MEARMAN = "A5017898742"  # 9 works in the recorded responses


@pytest.fixture
def api(settings):
    server = OpenAlexServer().start()
    settings.OPENALEX_API_URL = server.url
    settings.OPENALEX_RETRY_BACKOFF = 0.01
    settings.OPENALEX_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def owned(claimant, staff):
    """Joseph Mearman's record (a real OpenAlex id, nothing of it imported yet), owned by the
    claimant through an approved claim."""
    record = make_author(openalex_id=MEARMAN, display_name="Joseph Mearman")
    claim_approve(claim=claim_request(user=claimant, author=record), moderator=staff, reason="")
    return record


def refresh_url(record) -> str:
    return reverse("profiles:record-refresh", args=[record.openalex_id])


@pytest.fixture
def finished_tasks(celery_worker):
    """Names of the tasks the worker has finished, to wait on."""
    from celery.signals import task_postrun

    done: list[str] = []
    lock = threading.Lock()

    def record(sender, **kwargs: object) -> None:
        with lock:
            done.append(sender.name)

    task_postrun.connect(record, weak=False)
    yield done
    task_postrun.disconnect(record)


def wait_for(done: list[str], count: int) -> None:
    deadline = time.monotonic() + 30
    while len(done) < count:
        assert time.monotonic() < deadline, f"the worker finished only {done}"
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_the_owner_asks_and_a_real_worker_refreshes_their_record(
    client, api, owned, claimant, finished_tasks
):
    client.force_login(claimant)
    page = client.get(owned.get_absolute_url()).content.decode()
    assert f'hx-get="{refresh_url(owned)}"' in page  # the panel, loaded on its own

    panel = client.get(refresh_url(owned), headers={"HX-Request": "true"}).content.decode()
    assert "Not refreshed from OpenAlex yet" in panel and "<html" not in panel
    assert "Refresh from OpenAlex</button>" in panel

    response = client.post(refresh_url(owned), follow=True)
    assert response.redirect_chain == [(owned.get_absolute_url(), 302)]
    assert "Refresh queued" in response.content.decode()

    wait_for(finished_tasks, 1)
    assert finished_tasks == ["works.tasks.api_sync_run"]
    assert Work.objects.filter(authorships__author=owned).distinct().count() == 9
    owned.refresh_from_db()
    assert owned.works_in_db == 9 and owned.updated_date is not None
    sync = ApiSync.objects.get()
    assert (sync.origin, sync.status, sync.since) == ("owner", "done", None)

    panel = client.get(refresh_url(owned), headers={"HX-Request": "true"}).content.decode()
    assert "Refreshed at" in panel and "every 3s" not in panel  # polling stops
    assert "You can ask for another refresh after" in panel


@pytest.mark.django_db
def test_a_second_refresh_within_the_hour_is_a_429_page_not_a_500(client, api, owned, claimant):
    client.force_login(claimant)
    assert client.post(refresh_url(owned)).status_code == 302

    again = client.post(refresh_url(owned))
    assert again.status_code == 429
    text = again.content.decode()
    assert "you can ask again after" in text and "<html" in text
    assert ApiSync.objects.count() == 1
    # While it waits for the worker, the panel says so and polls.
    panel = client.get(refresh_url(owned), headers={"HX-Request": "true"}).content.decode()
    assert "Refresh queued" in panel and 'hx-trigger="every 3s"' in panel

    ApiSync.objects.update(requested_at=timezone.now() - timedelta(minutes=61))
    assert client.post(refresh_url(owned)).status_code == 302
    assert ApiSync.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "status"), [("anonymous", 302), ("outsider", 403)])
def test_only_the_owner_or_staff_may_ask(client, api, owned, outsider, persona, status):
    if persona == "outsider":
        client.force_login(outsider)
    response = client.post(refresh_url(owned))
    assert response.status_code == status
    if persona == "anonymous":
        assert response.url.startswith("/accounts/login/")
    assert not ApiSync.objects.exists()


@pytest.mark.django_db
def test_a_demo_record_offers_no_refresh(client, api, claimant, staff):
    demo = make_author(display_name="Demo Person")
    claim_approve(claim=claim_request(user=claimant, author=demo), moderator=staff, reason="")
    client.force_login(claimant)
    assert refresh_url(demo) not in client.get(demo.get_absolute_url()).content.decode()
    response = client.post(refresh_url(demo), follow=True)
    assert "This record is not in OpenAlex: there is nothing to refresh it from." in (
        response.content.decode()
    )
    assert not ApiSync.objects.exists() and api.seen == []


@pytest.mark.django_db(transaction=True)
def test_beat_refreshes_every_claimed_record_with_what_changed_since_the_last_sync(
    api, owned, finished_tasks
):
    from profiles.tasks import record_refresh_all

    demo_owner = make_user()
    demo = make_author(display_name="Demo Person")
    claim_approve(
        claim=claim_request(user=demo_owner, author=demo),
        moderator=make_user(is_staff=True),
        reason="",
    )
    record_refresh_all.delay()
    wait_for(finished_tasks, 2)  # the fan-out, then the one real record's sync
    assert Work.objects.count() == 9
    first = ApiSync.objects.get()
    assert (first.origin, first.since, first.status) == ("schedule", None, "done")

    api.seen.clear()
    record_refresh_all.delay()
    wait_for(finished_tasks, 4)
    latest = ApiSync.objects.first()
    assert latest.since == timezone.localdate(first.started_at)
    assert all(f"from_updated_date:{latest.since}" in s.params["filter"] for s in api.seen)
