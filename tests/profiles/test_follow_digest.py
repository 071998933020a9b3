"""The daily digest of new works of followed researchers: the service's rules, and the beat
task run by a real Celery worker on Redis, twice: the second run sends nothing new."""

import threading
import time

import pytest
from django.core import mail

from notices.models import Notification
from profiles.models import DigestOptIn, DigestSent
from profiles.services.follows import digest_opt_in_set, follow_create, follow_digest_send
from tests.factories import make_author, make_user, make_work


def _reader_with_new_works(n: int = 2, *, opt_in: bool = True):
    reader = make_user(email="reader@example.org")
    author = make_author(display_name="Ada Lovelace")
    make_work(authors=[author], title="Old work")
    follow_create(user=reader, author=author)
    for i in range(n):
        make_work(authors=[author], title=f"New work {i}")
    if opt_in:
        digest_opt_in_set(user=reader, enabled=True)
    return reader, author


@pytest.mark.django_db
def test_it_sends_each_new_work_once(django_capture_on_commit_callbacks):
    reader, author = _reader_with_new_works(2)

    with django_capture_on_commit_callbacks(execute=True):
        sent = follow_digest_send(user_id=reader.pk)

    assert sent == 2
    assert mail.outbox[-1].to == ["reader@example.org"]
    assert "New work 0" in mail.outbox[-1].body
    assert "Old work" not in mail.outbox[-1].body
    assert Notification.objects.get(user=reader).kind == Notification.Kind.NEW_WORKS

    # A day later, one more work: only that one goes out.
    DigestOptIn.objects.update(last_sent_at=None)
    make_work(authors=[author], title="Newer still")
    with django_capture_on_commit_callbacks(execute=True):
        assert follow_digest_send(user_id=reader.pk) == 1
    assert "Newer still" in mail.outbox[-1].body
    assert "New work 0" not in mail.outbox[-1].body
    assert DigestSent.objects.filter(user=reader).count() == 3


@pytest.mark.django_db
def test_it_sends_at_most_one_digest_a_day():
    reader, author = _reader_with_new_works(1)
    assert follow_digest_send(user_id=reader.pk) == 1
    make_work(authors=[author], title="Later the same day")
    assert follow_digest_send(user_id=reader.pk) == 0


@pytest.mark.django_db
def test_it_sends_nothing_to_an_account_that_did_not_opt_in():
    reader, _ = _reader_with_new_works(2, opt_in=False)
    assert follow_digest_send(user_id=reader.pk) == 0
    assert not DigestSent.objects.exists()


@pytest.mark.django_db
def test_it_sends_nothing_when_nothing_is_new():
    reader = make_user()
    follow_create(user=reader, author=make_author())
    digest_opt_in_set(user=reader, enabled=True)
    assert follow_digest_send(user_id=reader.pk) == 0
    assert DigestOptIn.objects.get().last_sent_at is None


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


def _wait_for(done: list[str], count: int) -> None:
    deadline = time.monotonic() + 20
    while len(done) < count:
        assert time.monotonic() < deadline, f"the worker finished only {done}"
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_the_beat_task_sends_the_digest_through_a_real_worker_and_never_twice(finished_tasks):
    from profiles.tasks import follow_digest_send_all

    reader, _ = _reader_with_new_works(2)
    not_opted = make_user()
    follow_create(user=not_opted, author=make_author())

    follow_digest_send_all.delay()
    _wait_for(finished_tasks, 2)  # the fan-out, then the one opted-in account's digest

    digests = [m for m in mail.outbox if m.to == ["reader@example.org"]]
    assert len(digests) == 1
    assert DigestSent.objects.filter(user=reader).count() == 2

    # Even with the day's guard lifted, the works already sent are never sent again.
    DigestOptIn.objects.update(last_sent_at=None)
    follow_digest_send_all.delay()
    _wait_for(finished_tasks, 4)

    assert len([m for m in mail.outbox if m.to == ["reader@example.org"]]) == 1
    assert DigestSent.objects.filter(user=reader).count() == 2
    assert len(mail.outbox) == 1
