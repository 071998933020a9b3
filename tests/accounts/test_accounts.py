"""Accounts through django-allauth: sign up, verify by link, log in and out, reset, throttling."""

import re

import pytest
from django.core import mail

from tests.factories import PASSWORD, make_author, make_user

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://testserver(/accounts/[^\s]+)")


def _link_in_last_mail() -> str:
    match = LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_it_signs_up_verifies_by_link_and_returns_to_the_page(client):
    author = make_author()
    page = author.get_absolute_url()
    response = client.post(
        f"/accounts/signup/?next={page}",
        {
            "display_name": "Nadia Newcomer",
            "email": "new@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": page,
        },
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.org"]
    # Mandatory verification: not logged in until the link is opened.
    assert client.get("/accounts/email/").status_code == 302
    confirm = _link_in_last_mail()
    assert "Confirm" in client.get(confirm).content.decode()
    response = client.post(confirm)
    assert response.status_code == 302
    response = client.get(page)
    # The header names them by the name they chose at sign-up, not by their address.
    assert "Nadia Newcomer" in response.content.decode()
    assert "Log out" in response.content.decode()


def test_it_refuses_login_before_the_address_is_verified(client):
    make_user(email="pending@example.org", verified=False)
    response = client.post(
        "/accounts/login/", {"login": "pending@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url.startswith("/accounts/confirm-email/")
    assert client.get("/accounts/email/").status_code == 302


def test_it_logs_in_and_returns_to_the_page_named_in_next(client):
    make_user(email="ada@example.org")
    response = client.post(
        "/accounts/login/",
        {"login": "ada@example.org", "password": PASSWORD, "next": "/researchers/"},
    )
    assert response.status_code == 302
    assert response.url == "/researchers/"


def test_it_ignores_a_next_that_leaves_the_site(client):
    make_user(email="ada@example.org")
    response = client.post(
        "/accounts/login/",
        {"login": "ada@example.org", "password": PASSWORD, "next": "https://evil.example/x"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response.url


def test_it_logs_out_by_post_and_returns_to_the_page(client):
    client.force_login(make_user())
    response = client.post("/accounts/logout/", {"next": "/researchers/"})
    assert response.status_code == 302
    assert response.url == "/researchers/"
    assert "Log in" in client.get("/researchers/").content.decode()


def test_it_shows_log_in_and_sign_up_to_anonymous_visitors(client):
    author = make_author()
    body = client.get(author.get_absolute_url()).content.decode()
    assert f'href="/accounts/login/?next=%2Fresearchers%2F{author.openalex_id}%2F"' in body
    assert f'href="/accounts/signup/?next=%2Fresearchers%2F{author.openalex_id}%2F"' in body


def test_it_throttles_failed_logins_per_account(client):
    make_user(email="ada@example.org")
    for _ in range(5):
        response = client.post("/accounts/login/", {"login": "ada@example.org", "password": "no"})
        assert response.status_code == 200
    # After five failures within five minutes even the right password is refused.
    response = client.post("/accounts/login/", {"login": "ada@example.org", "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_throttles_failed_logins_per_address(client):
    for n in range(10):
        client.post("/accounts/login/", {"login": f"x{n}@example.org", "password": "no"})
    make_user(email="y@example.org")
    response = client.post("/accounts/login/", {"login": "y@example.org", "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()


def test_it_does_not_tell_whether_an_email_is_registered(client):
    make_user(email="ada@example.org")
    known = client.post("/accounts/password/reset/", {"email": "ada@example.org"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    # Both addresses get a mail; only the known one's carries a reset link.
    assert len(mail.outbox) == 2


def test_it_resets_a_password_by_link(client):
    make_user(email="ada@example.org")
    client.post("/accounts/password/reset/", {"email": "ada@example.org"})
    link = _link_in_last_mail()
    response = client.get(link)
    assert response.status_code == 302  # allauth moves the key into the session
    response = client.post(
        response.url, {"password1": "a new long passphrase", "password2": "a new long passphrase"}
    )
    assert response.status_code == 302
    assert client.login(username="ada@example.org", password="a new long passphrase")


def test_it_changes_the_password(client):
    user = make_user(email="ada@example.org")
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "another long phrase",
            "password2": "another long phrase",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another long phrase")


def test_it_changes_the_email_once_the_new_one_is_verified(client):
    user = make_user(email="old@example.org")
    client.force_login(user)
    response = client.post("/accounts/email/", {"action_add": "", "email": "new@example.org"})
    assert response.status_code == 302
    client.post(_link_in_last_mail())
    user.refresh_from_db()
    assert user.email == "new@example.org"


def test_it_renders_the_account_pages_in_the_site_layout(client):
    for url in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]:
        body = client.get(url).content.decode()
        assert 'class="site-header"' in body
        assert "css/bzpeer.css" in body
