"""Many people follow the same researcher at the same moment, and one of them twice, each
request in its own thread with its own PostgreSQL connection: the count stays exact."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from profiles.models import Follow
from tests.factories import make_author, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_keeps_the_follower_count_exact_under_simultaneous_follows():
    if connection.vendor != "postgresql":
        pytest.fail("needs real connections to PostgreSQL: the suite runs on it (set DATABASE_URL)")
    author = make_author()
    users = [make_user() for _ in range(8)]
    # The first user sends their follow three times at once.
    requests = [users[0], users[0], *users]
    url = reverse("profiles:follow", args=[author.openalex_id])
    start = threading.Barrier(len(requests))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def post(user) -> None:
        try:
            client = Client()
            client.force_login(user)
            start.wait(timeout=10)
            statuses.append(client.post(url, headers={"HX-Request": "true"}).status_code)
        except BaseException as exc:  # the assertion below shows it
            errors.append(exc)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=post, args=(user,)) for user in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert statuses == [200] * len(requests)
    assert Follow.objects.filter(author=author).count() == len(users)
    html = Client().get(author.get_absolute_url()).content.decode()
    assert f"<strong>{len(users)}</strong> followers" in html
