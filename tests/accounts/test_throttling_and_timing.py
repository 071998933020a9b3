"""Throttles count the client's real address behind our proxies (and only then trust
X-Forwarded-For); sign-up does the same work whether or not an address is registered."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts"


def _fail_logins(client, n: int, *, forwarded_for: str) -> None:
    for i in range(n):
        client.post(
            "/accounts/login/",
            {"login": f"x{i}@example.org", "password": "no"},
            headers={"x-forwarded-for": forwarded_for},
        )


def _log_in(client, *, forwarded_for: str) -> str:
    response = client.post(
        "/accounts/login/",
        {"login": "y@example.org", "password": PASSWORD},
        headers={"x-forwarded-for": forwarded_for},
    )
    return response.content.decode()


def test_without_trusted_proxies_a_forged_forwarded_for_does_not_escape_the_limit(client):
    make_user(email="y@example.org")
    for n in range(10):  # an attacker changing the header on every try
        _fail_logins(client, 1, forwarded_for=f"203.0.113.{n}")
    assert TOO_MANY in _log_in(client, forwarded_for="203.0.113.99")


def test_behind_one_trusted_proxy_each_client_address_has_its_own_limit(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    make_user(email="y@example.org")
    # Everyone arrives from the proxy's address (REMOTE_ADDR); one client fails ten times.
    _fail_logins(client, 10, forwarded_for="198.51.100.7")
    assert TOO_MANY in _log_in(client, forwarded_for="198.51.100.7")
    # Another client behind the same proxy still logs in.
    assert TOO_MANY not in _log_in(client, forwarded_for="198.51.100.8")
    assert "_auth_user_id" in client.session
    client.logout()
    # The proxy appends the address it saw: what the client wrote before it is not trusted.
    assert TOO_MANY in _log_in(client, forwarded_for="10.9.9.9, 198.51.100.7")


class CountingHasher(PBKDF2PasswordHasher):
    """PBKDF2 with few iterations, counting how often a password is hashed."""

    iterations = 1
    calls = 0

    def encode(self, password: str, salt: str, iterations: int | None = None) -> str:
        type(self).calls += 1
        return super().encode(password, salt, iterations)


def _signup_hashes(client, email: str) -> int:
    CountingHasher.calls = 0
    response = client.post(
        "/accounts/signup/",
        {"display_name": "A Name", "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    return CountingHasher.calls


def test_signing_up_with_a_registered_address_costs_the_same_hashing(client, settings):
    # Hashing is the slow part of a sign-up by design; the time a registered address took to
    # answer (13 ms against 498 ms) told an attacker it exists.
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    make_user(email="known@example.org")
    new = _signup_hashes(client, "new@example.org")
    known = _signup_hashes(client, "known@example.org")
    assert new >= 1
    assert known == new


def test_a_request_that_went_around_the_proxies_is_refused_not_a_500(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    response = client.post(
        "/accounts/login/",
        {"login": "y@example.org", "password": "no"},
        headers={"x-forwarded-for": "198.51.100.7"},
    )
    assert response.status_code == 400
