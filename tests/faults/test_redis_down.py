"""Redis stops (SIGTERM to the suite's own redis-server) and comes back: the site answers all
along, uncached and unthrottled while it is away, and caches again once it is back, without a
restart. The cache is configured exactly as bzpeer/settings.py does with REDIS_URL set."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from graph import panels
from profiles.models import Claim, Follow
from tests.conftest import celery_broker
from tests.factories import PASSWORD, make_author, make_user, make_work
from tests.faults.conftest import RedisServer, settings_of_the_stack, wait_for
from works.models import Author

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]
HTMX = {"HX-Request": "true"}


def _visit_and_log_in(client: Client, author: Author, user: AbstractBaseUser) -> dict[str, int]:
    """Status of an anonymous researcher page, its trust panel, a failed and a good login, a
    sign-up and a password reset: what allauth's throttles and the page cache both touch."""
    client.logout()
    statuses = {
        "page": client.get(author.get_absolute_url()).status_code,
        "panel": client.get(
            reverse("graph:trust-panel", args=[author.openalex_id]), headers=HTMX
        ).status_code,
        "wrong password": client.post(
            "/accounts/login/", {"login": user.email, "password": "wrong"}
        ).status_code,
        "signup": client.post(
            "/accounts/signup/",
            {
                "display_name": "New Person",
                "email": f"new{time.monotonic_ns()}@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        ).status_code,
        "reset": client.post("/accounts/password/reset/", {"email": user.email}).status_code,
        "login": client.post(
            "/accounts/login/", {"login": user.email, "password": PASSWORD}
        ).status_code,
    }
    return statuses


def _page_keys(server: RedisServer) -> list[bytes]:
    return server.client().keys("*researcher-page*")


def _visited_and_cached(client: Client, author: Author, server: RedisServer) -> bool:
    client.logout()
    assert client.get(author.get_absolute_url()).status_code == 200
    return bool(_page_keys(server))


def test_with_redis_stopped_pages_and_logins_work_and_caching_returns_with_it(
    client, settings, monkeypatch, redis_server
):
    settings.CACHES = settings_of_the_stack(redis_server.url, "CACHES")["CACHES"]
    author = make_author(display_name="Ada Example")
    make_work(authors=[author])
    user = make_user(email="ada@example.org")
    expected = {
        "page": 200,
        "panel": 200,
        "wrong password": 200,  # the form again, with its error
        "signup": 302,
        "reset": 302,
        "login": 302,
    }

    with celery_broker(redis_server.url):
        assert _visit_and_log_in(client, author, user) == expected
        assert _page_keys(redis_server), "the page was cached in Redis"

        redis_server.stop()
        started = time.monotonic()
        assert cache.get("anything", "missed") == "missed"
        assert time.monotonic() - started < 0.1  # a dead Redis costs milliseconds
        started = time.monotonic()
        assert _visit_and_log_in(client, author, user) == expected
        assert time.monotonic() - started < 10  # the password hashes take most of it
        # Writes go on (logged in, after the login above): the same follow twice, a claim.
        claimable = make_author()
        for action, record in (("follow", author), ("follow", author), ("claim", claimable)):
            url = reverse(f"profiles:{action}", args=[record.openalex_id])
            assert client.post(url).status_code == 302
        assert Follow.objects.filter(user=user, author=author).count() == 1
        assert Claim.objects.live().filter(user=user, author=claimable).count() == 1
        # A panel whose computation is not queued yet: the broker is down as well.
        panel = client.get(reverse("graph:trust-panel", args=[claimable.openalex_id]), headers=HTMX)
        assert "not answering" in panel.content.decode()

        redis_server.start()  # empty: nothing was saved
        # Within seconds (the cache leaves a failed Redis alone for a moment), no restart.
        wait_for(
            "the page is not cached again",
            lambda: _visited_and_cached(client, author, redis_server),
        )
        assert _visit_and_log_in(client, author, user) == expected
        # And the throttles count again: after five wrong passwords, even the right one fails.
        client.logout()
        for _ in range(5):
            client.post("/accounts/login/", {"login": user.email, "password": "no"})
        refused = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
        assert "Too many failed login attempts" in refused.content.decode()

        # The task queued before the restart went with Redis (nothing saved): the panel's
        # poll, finding the worker silent, queues it again on the Redis that came back.
        monkeypatch.setattr(panels, "WORKER_SILENT_AFTER", timedelta(0))
        client.get(reverse("graph:trust-panel", args=[author.openalex_id]) + "?poll=1")
        assert redis_server.client().llen("celery") == 1


def test_a_cache_without_its_redis_is_an_empty_one_that_forgets(settings):
    settings.CACHES = settings_of_the_stack("redis://127.0.0.1:1/0", "CACHES")["CACHES"]

    started = time.monotonic()
    cache.set("key", "value")
    assert cache.get("key") is None
    assert cache.get_many(["key"]) == {}
    assert cache.add("lock", 1) is True  # allauth's rate-limit lock is taken at once
    assert cache.has_key("lock") is False
    assert cache.delete("key") is False
    with pytest.raises(ValueError):
        cache.incr("counter")
    assert time.monotonic() - started < 0.5
