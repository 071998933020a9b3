"""README's local commands work as printed: a management command needs neither DEBUG nor
SECRET_KEY (serving still does), and the quick start's DEBUG server answers an unknown
address with the site's own 404 page, not Django's list of every URL pattern."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
SITE_404 = "<h1>Page not found</h1>"  # templates/404.html
TECHNICAL_404 = "Using the URLconf defined in"


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The environment of a fresh terminal: no DEBUG, no SECRET_KEY.
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "command",
    [
        ["import_openalex", "--help"],
        ["load_demo", "--help"],
        ["recompute_trust", "--help"],
        ["showmigrations", "works", "--list"],
    ],
    ids=lambda command: command[0],
)
def test_a_management_command_runs_without_debug_or_a_key(command):
    result = _manage(*command)
    assert result.returncode == 0, result.stderr
    assert "ImproperlyConfigured" not in result.stderr


def test_a_server_still_needs_a_key_or_debug():
    # Refused while reading the settings, before it would listen.
    result = _manage("runserver", "127.0.0.1:0", "--noreload")
    assert result.returncode != 0
    assert "Set SECRET_KEY (or DEBUG=1 for local development)." in result.stderr


def test_a_worker_still_needs_a_key_or_debug():
    # It signs the links of the emails it sends: on another key the site would refuse them.
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "celery"), "-A", "bzpeer", "inspect", "ping"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY (or DEBUG=1 for local development)." in result.stderr


@pytest.fixture
def debug_site(settings):
    """The settings scripts/run serves with: DEBUG=1 (bzpeer.settings adds the middleware)."""
    settings.DEBUG = True
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "bzpeer.site404.SiteNotFoundMiddleware"]


@pytest.mark.django_db
def test_the_debug_site_answers_an_unknown_address_with_its_own_404(client, debug_site):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert SITE_404 in html and TECHNICAL_404 not in html
    assert "researchers/&lt;str:author_id&gt;" not in html  # no URL patterns listed


@pytest.mark.django_db
def test_the_debug_site_answers_an_unknown_record_with_its_own_404(client, debug_site):
    response = client.get(reverse("profiles:detail", args=["A0000000001"]))
    assert response.status_code == 404
    assert SITE_404 in response.content.decode()


@pytest.mark.django_db
def test_the_debug_site_still_adds_the_missing_slash(client, debug_site):
    response = client.get("/researchers")
    assert response.status_code == 301 and response.url == "/researchers/"


@pytest.mark.django_db
def test_without_the_middleware_django_would_list_the_patterns(client, settings):
    settings.DEBUG = True  # the defect the middleware removes, shown
    assert TECHNICAL_404 in client.get("/no/such/page/").content.decode()
