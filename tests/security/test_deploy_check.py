"""`manage.py check --deploy` is clean with the production settings README documents
("Operating BZPEER"), and says so when one of them is missing."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

# The production environment of README's "Operating BZPEER", behind a TLS proxy.
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7Jq2vR9mZ4pL8sT1wY6nB3cF5hK0dG-aE7uI2oP9rW4tQ8zX1vN6bM3jS5yD0lC",
    "ALLOWED_HOSTS": "bzpeer.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://bzpeer.example.org",
    "SITE_URL": "https://bzpeer.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "BEHIND_TLS_PROXY": "1",
    "SECURE_COOKIES": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
}


def _deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    # Not the test run's own settings, nor the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE (which
    # the deploy check rightly reports).
    dropped = {*PRODUCTION, "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "REDIS_URL"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_documented_production_settings_pass_the_deploy_check():
    result = _deploy_check(PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_check_fails_without_https_settings():
    without_hsts = PRODUCTION | {"SECURE_HSTS_SECONDS": "0", "SECURE_SSL_REDIRECT": "0"}
    result = _deploy_check(without_hsts)
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W008" in result.stderr
