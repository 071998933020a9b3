"""The /notifications/ page, the header's unread count on every page, and marking read."""

import pytest
from django.urls import reverse

from notices.models import Notification
from notices.services import notification_create
from profiles.services.claims import claim_approve, claim_request
from tests.factories import make_author, make_user

pytestmark = pytest.mark.django_db

URL = "/notifications/"


@pytest.fixture
def reader():
    return make_user(email="reader@example.org")


def _notify(user, n: int = 1, **overrides) -> None:
    for i in range(n):
        fields = {"kind": Notification.Kind.MESSAGE, "text": f"Message {i}", "url": "/x/"}
        notification_create(user=user, **{**fields, **overrides})


def test_it_lists_notifications_newest_first(client, reader):
    _notify(reader, text="The first one")
    _notify(reader, text="The second one")
    client.force_login(reader)

    html = client.get(URL).content.decode()

    assert html.index(">The second one<") < html.index(">The first one<")
    assert html.count('<span class="tag">new</span>') == 2


def test_it_marks_them_read_once_seen(client, reader):
    _notify(reader, 3)
    client.force_login(reader)

    first = client.get(URL).content.decode()
    second = client.get(URL).content.decode()

    assert first.count('<span class="tag">new</span>') == 3
    assert '<span class="tag">new</span>' not in second
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_it_shows_the_unread_count_in_the_header_on_every_page(client, reader):
    _notify(reader, 2)
    client.force_login(reader)

    for url in ["/", "/researchers/", make_author().get_absolute_url()]:
        html = client.get(url).content.decode()
        assert '<span class="unread-count" title="2 unread">2' in html, url


def test_it_counts_the_notifications_page_itself_as_read_in_its_header(client, reader):
    _notify(reader, 2)
    client.force_login(reader)

    html = client.get(URL).content.decode()

    assert 'class="unread-count"' not in html


def test_it_shows_only_your_own(client, reader):
    _notify(make_user(), text="someone else's")
    client.force_login(reader)

    html = client.get(URL).content.decode()

    assert "someone else&#x27;s" not in html
    assert "Nothing yet." in html
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_it_sends_anonymous_visitors_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_it_shows_no_count_to_anonymous_visitors(client):
    assert "unread-count" not in client.get("/").content.decode()


def test_it_refuses_post(client, reader):
    client.force_login(reader)
    assert client.post(URL).status_code == 405


def test_it_tells_the_claimant_of_a_decision(client, reader):
    record = make_author(display_name="Ada Lovelace")
    claim = claim_request(user=reader, author=record)
    claim_approve(claim=claim, moderator=make_user(is_staff=True), reason="")

    notice = Notification.objects.get(user=reader)

    assert notice.kind == Notification.Kind.CLAIM_DECIDED
    assert notice.text == "Your claim of Ada Lovelace is confirmed"
    assert notice.url == record.get_absolute_url()


@pytest.mark.parametrize("n", [2, 40])
def test_it_runs_a_fixed_number_of_queries(client, reader, django_assert_max_num_queries, n):
    _notify(reader, n)
    client.force_login(reader)

    with django_assert_max_num_queries(8):
        # 1 the session
        # 2 the user
        # 3 how many notifications (the pager)
        # 4 the page of notifications
        # 5 the savepoint of the marking service (the test runs inside a transaction)
        # 6 marking the unread ones of them read
        # 7 releasing the savepoint
        # 8 the header's unread count
        response = client.get(URL)

    assert response.status_code == 200
