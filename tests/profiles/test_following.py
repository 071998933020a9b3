"""The /following page: whom you follow, the feed of works added for them since you followed,
and the digest opt-in."""

import pytest
from django.urls import reverse

from profiles.models import DigestOptIn
from profiles.services.follows import follow_create
from tests.factories import make_author, make_source, make_user, make_work

pytestmark = pytest.mark.django_db

URL = "/following/"


@pytest.fixture
def reader():
    return make_user(email="reader@example.org")


def test_it_lists_new_works_of_followed_researchers_since_the_follow(client, reader):
    author = make_author(display_name="Ada Lovelace")
    make_work(authors=[author], title="Before the follow")
    follow_create(user=reader, author=author)
    make_work(authors=[author], title="First new work")
    make_work(authors=[author], title="Second new work")
    make_work(authors=[make_author()], title="By someone not followed")
    client.force_login(reader)

    html = client.get(URL).content.decode()

    assert "Before the follow" not in html
    assert "By someone not followed" not in html
    assert html.index(">Second new work<") < html.index(">First new work<")
    assert ">Ada Lovelace</a>" in html
    assert "You follow 1 researcher" in html


def test_it_compares_with_each_follower_own_follow(client, reader):
    author = make_author()
    early = make_user()
    follow_create(user=early, author=author)
    make_work(authors=[author], title="Between the two follows")
    follow_create(user=reader, author=author)

    client.force_login(early)
    assert "Between the two follows" in client.get(URL).content.decode()
    client.force_login(reader)
    assert "Between the two follows" not in client.get(URL).content.decode()


def test_it_shows_another_account_nothing_of_yours(client, reader):
    author = make_author()
    follow_create(user=reader, author=author)
    make_work(authors=[author], title="Reader's feed")
    client.force_login(make_user())

    html = client.get(URL).content.decode()

    assert "Reader&#x27;s feed" not in html
    assert "Nobody yet" in html


def test_it_turns_the_digest_on_and_off(client, reader):
    client.force_login(reader)

    client.post(reverse("profiles:following-digest"), {"digest": "on"})
    assert DigestOptIn.objects.filter(user=reader).exists()
    assert "checked" in client.get(URL).content.decode()

    client.post(reverse("profiles:following-digest"), {})
    assert not DigestOptIn.objects.exists()


def test_it_sends_anonymous_visitors_to_log_in(client):
    for response in [client.get(URL), client.post(reverse("profiles:following-digest"))]:
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_it_refuses_get_on_the_digest_switch(client, reader):
    client.force_login(reader)
    assert client.get(reverse("profiles:following-digest")).status_code == 405


@pytest.mark.parametrize("n", [1, 12])
def test_it_runs_a_fixed_number_of_queries(client, reader, django_assert_max_num_queries, n):
    source = make_source()
    for _ in range(n):
        author = make_author()
        follow_create(user=reader, author=author)
        make_work(authors=[author], primary_source=source)
        make_work(authors=[author, make_author()])
    client.force_login(reader)

    with django_assert_max_num_queries(6):
        # 1 the session, 2 the user
        # 3 the researchers followed, with each author
        # 4 the feed: new authorships with work, venue and author
        # 5 whether the digest is on
        # 6 the header's unread count
        response = client.get(URL)

    assert response.content.decode().count('class="notice-item feed-item"') == 2 * n
