"""Following a researcher: the form without JavaScript, the htmx swap, following twice, and
who may do it."""

import re

import pytest
from django.urls import reverse

from profiles.models import Follow
from profiles.services.claims import claim_approve, claim_request
from profiles.services.follows import FollowError, follow_create, follow_delete
from tests.factories import make_author, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return make_author(display_name="Ada Lovelace")


@pytest.fixture
def reader():
    return make_user(email="reader@example.org")


def _follow_url(author) -> str:
    return reverse("profiles:follow", args=[author.openalex_id])


def _unfollow_url(author) -> str:
    return reverse("profiles:unfollow", args=[author.openalex_id])


def test_it_follows_and_returns_to_the_page_without_javascript(client, author, reader):
    client.force_login(reader)

    response = client.post(_follow_url(author))

    assert response.status_code == 302
    assert response.url == f"{author.get_absolute_url()}#follow-panel"
    assert Follow.objects.filter(user=reader, author=author).count() == 1
    html = client.get(author.get_absolute_url()).content.decode()
    assert "Following · Unfollow" in html
    assert '<li id="followers-count"><strong>1</strong> follower</li>' in html


def test_it_unfollows_without_javascript(client, author, reader):
    follow_create(user=reader, author=author)
    client.force_login(reader)

    response = client.post(_unfollow_url(author))

    assert response.status_code == 302
    assert not Follow.objects.exists()
    html = client.get(author.get_absolute_url()).content.decode()
    assert ">Follow researcher</button>" in html
    assert '<li id="followers-count"><strong>0</strong> followers</li>' in html


def test_it_returns_the_follow_panel_and_the_count_out_of_band_to_htmx(client, author, reader):
    follow_create(user=make_user(), author=author)
    client.force_login(reader)

    response = client.post(_follow_url(author), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<div class="action" id="follow-panel">')
    assert '<span class="count-pill">2 followers</span>' in html
    assert "Following · Unfollow" in html
    assert '<li id="followers-count" hx-swap-oob="true"><strong>2</strong> followers</li>' in html
    assert "HX-Request" in response["Vary"]


def test_it_swaps_back_to_follow_after_unfollowing_through_htmx(client, author, reader):
    follow_create(user=reader, author=author)
    client.force_login(reader)

    response = client.post(_unfollow_url(author), headers={"HX-Request": "true"})

    html = response.content.decode()
    assert re.search(r'hx-post="/researchers/[^/]+/follow/"', html)
    assert "<strong>0</strong> followers</li>" in html


def test_it_counts_following_twice_as_one_follow(client, author, reader):
    client.force_login(reader)

    client.post(_follow_url(author))
    client.post(_follow_url(author))

    assert Follow.objects.filter(author=author).count() == 1


def test_it_lets_the_service_follow_twice_and_unfollow_twice(author, reader):
    first, created = follow_create(user=reader, author=author)
    again, created_again = follow_create(user=reader, author=author)

    assert created and not created_again
    assert first.pk == again.pk
    assert follow_delete(user=reader, author=author) is True
    assert follow_delete(user=reader, author=author) is False


def test_it_follows_an_unclaimed_researcher(client, author, reader):
    # Nobody claims `author`: following needs no owner.
    client.force_login(reader)
    client.post(_follow_url(author))
    assert Follow.objects.filter(author=author).exists()


def test_it_changes_the_cached_anonymous_page(client, author, reader):
    url = author.get_absolute_url()
    assert "<strong>0</strong> followers" in client.get(url).content.decode()
    follow_create(user=reader, author=author)
    assert "<strong>1</strong> follower<" in client.get(url).content.decode()


# --- who may -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [_follow_url, _unfollow_url])
def test_it_sends_anonymous_visitors_to_log_in(client, author, url):
    response = client.post(url(author))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not Follow.objects.exists()


@pytest.mark.parametrize("url", [_follow_url, _unfollow_url])
def test_it_refuses_get(client, author, reader, url):
    client.force_login(reader)
    assert client.get(url(author)).status_code == 405


@pytest.mark.parametrize("name", ["profiles:follow", "profiles:unfollow"])
def test_it_404s_for_an_unknown_researcher(client, reader, name):
    client.force_login(reader)
    assert client.post(reverse(name, args=["A999999999"])).status_code == 404


def test_it_offers_log_in_to_follow_that_comes_back_to_the_page(client, author):
    html = client.get(author.get_absolute_url()).content.decode()

    login = f"{reverse('account_login')}?next=%2Fresearchers%2F{author.openalex_id}%2F"
    assert f'<a class="button" href="{login}">Log in to follow</a>' in html


def test_it_returns_to_the_page_after_logging_in(client, author, reader):
    response = client.post(
        reverse("account_login"),
        {
            "login": "reader@example.org",
            "password": "correct horse battery staple",
            "next": author.get_absolute_url(),
        },
    )
    assert response.status_code == 302
    assert response.url == author.get_absolute_url()


# --- not one's own record -----------------------------------------------------------------


@pytest.mark.parametrize("proven", [True, False])
def test_it_refuses_the_owner_following_their_own_record(client, record, claimant, staff, proven):
    # Following oneself would raise one's own follower count and trust score.
    claim = claim_request(user=claimant, author=record)
    if proven:
        claim_approve(claim=claim, moderator=staff, reason="")
    client.force_login(claimant)

    assert client.post(_follow_url(record)).status_code == 403
    assert client.post(_follow_url(record), headers={"HX-Request": "true"}).status_code == 403

    assert not Follow.objects.exists()
    with pytest.raises(FollowError, match="your own record"):
        follow_create(user=claimant, author=record)


def test_it_does_not_offer_the_owner_the_follow_button_on_their_page(
    client, record, claimant, staff, author
):
    claim_approve(claim=claim_request(user=claimant, author=record), moderator=staff, reason="")
    client.force_login(claimant)

    html = client.get(record.get_absolute_url()).content.decode()

    assert ">Follow researcher</button>" not in html
    assert "This is your record: your own follow does not count." in html
    # Others' pages still offer it.
    assert ">Follow researcher</button>" in client.get(author.get_absolute_url()).content.decode()


def test_claiming_a_record_ends_the_claimants_follow_of_it(client, record, claimant, reader):
    follow_create(user=claimant, author=record)
    follow_create(user=reader, author=record)

    claim_request(user=claimant, author=record)

    assert list(Follow.objects.values_list("user", flat=True)) == [reader.pk]
    html = client.get(record.get_absolute_url()).content.decode()
    assert '<li id="followers-count"><strong>1</strong> follower</li>' in html
