"""Proving a claim by ORCID sign-in. Only the calls to orcid.org (the token exchange and the
public record read) are faked; allauth's OAuth flow and our check run for real."""

import json
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from profiles.models import Claim
from profiles.services.claims import claim_request

pytestmark = pytest.mark.django_db

RECORD_ORCID = "0000-0002-1825-0097"


@pytest.fixture(autouse=True)
def _orcid_app(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "orcid": {"APPS": [{"client_id": "APP-TEST", "secret": "s3cret"}]}
    }


class _Response:
    def __init__(self, data: dict) -> None:
        self.status_code, self._data = 200, data
        self.headers = {"content-type": "application/json;charset=UTF-8"}
        self.text = self.content = json.dumps(data)

    def json(self) -> dict:
        return self._data


class _FakeOrcid:
    """A requests session that answers as orcid.org would for `orcid`."""

    def __init__(self, orcid: str) -> None:
        self.orcid = orcid

    def request(self, method: str, url: str, **kwargs: object) -> _Response:
        assert url == "https://pub.orcid.org/oauth/token"
        return _Response(
            {"access_token": "t0k3n", "token_type": "bearer", "orcid": self.orcid, "name": "M W"}
        )

    def get(self, url: str, **kwargs: object) -> _Response:
        assert url == f"https://pub.orcid.org/v3.0/{self.orcid}/record"
        return _Response({"orcid-identifier": {"path": self.orcid}})

    def __enter__(self) -> "_FakeOrcid":
        return self

    def __exit__(self, *exc: object) -> None:
        return None


@contextmanager
def _orcid_answers(monkeypatch, orcid: str):
    from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

    monkeypatch.setattr(
        DefaultSocialAccountAdapter, "get_requests_session", lambda self: _FakeOrcid(orcid)
    )
    yield


def _sign_in_with_orcid(client, claim, monkeypatch, orcid: str):
    done = reverse("profiles:claim-orcid", args=[claim.pk])
    response = client.post(f"/accounts/orcid/login/?process=connect&next={done}")
    assert response.status_code == 302
    authorize = urlsplit(response.url)
    assert authorize.netloc == "orcid.org"
    state = parse_qs(authorize.query)["state"][0]
    with _orcid_answers(monkeypatch, orcid):
        response = client.get("/accounts/orcid/login/callback/", {"code": "c0de", "state": state})
    assert response.status_code == 302
    return client.get(response.url, follow=True)


@pytest.fixture
def orcid_claim(record, claimant):
    record.orcid = RECORD_ORCID
    record.save(update_fields=["orcid"])
    return claim_request(user=claimant, author=record)


def test_it_offers_orcid_when_the_record_has_an_orcid(client, record, orcid_claim, claimant):
    client.force_login(claimant)
    html = client.get(record.get_absolute_url()).content.decode()
    assert f"Prove with ORCID ({RECORD_ORCID})" in html


def test_it_proves_a_claim_by_orcid_sign_in(client, record, orcid_claim, claimant, monkeypatch):
    client.force_login(claimant)
    page = _sign_in_with_orcid(client, orcid_claim, monkeypatch, RECORD_ORCID)
    orcid_claim.refresh_from_db()
    assert (orcid_claim.status, orcid_claim.level, orcid_claim.evidence_kind) == (
        "active",
        3,
        "orcid",
    )
    html = page.content.decode()
    assert "Confirmed by ORCID" in html
    assert "L3 · Claim proven by institutional email or ORCID" in html
    assert list(orcid_claim.events.values_list("note", flat=True))[-1] == f"ORCID {RECORD_ORCID}"


def test_it_refuses_another_orcid(client, record, orcid_claim, claimant, monkeypatch):
    client.force_login(claimant)
    page = _sign_in_with_orcid(client, orcid_claim, monkeypatch, "0000-0002-9079-593X")
    assert Claim.objects.get().status == "pending"
    assert "not this record&#x27;s (0000-0002-1825-0097)" in page.content.decode()


def test_it_lets_only_the_claimant_use_the_orcid_return(client, orcid_claim, outsider):
    client.force_login(outsider)
    assert client.get(reverse("profiles:claim-orcid", args=[orcid_claim.pk])).status_code == 403


def test_it_never_makes_an_account_from_an_orcid_sign_in(client, monkeypatch):
    from django.contrib.auth import get_user_model

    response = client.post("/accounts/orcid/login/")
    state = parse_qs(urlsplit(response.url).query)["state"][0]
    with _orcid_answers(monkeypatch, RECORD_ORCID):
        client.get("/accounts/orcid/login/callback/", {"code": "c0de", "state": state})
    assert not get_user_model().objects.exists()
