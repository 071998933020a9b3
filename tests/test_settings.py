import pytest
from django.core.exceptions import ImproperlyConfigured

from bzpeer.settings import envbool, envint, envlist


def test_it_reads_booleans_strictly(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert envbool("FLAG", "0") is True
    monkeypatch.setenv("FLAG", "0")
    assert envbool("FLAG", "1") is False
    monkeypatch.setenv("FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="FLAG='ture' is not a boolean"):
        envbool("FLAG", "0")


def test_it_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)
    assert envbool("FLAG", "1") is True
    assert envint("FLAG", "42") == 42
    assert envlist("FLAG", "a, b,,c") == ["a", "b", "c"]


def test_it_rejects_a_bad_integer(monkeypatch):
    monkeypatch.setenv("N", "ten")
    with pytest.raises(ImproperlyConfigured, match="N='ten' is not an integer"):
        envint("N", "1")


def test_it_answers_the_healthcheck(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
