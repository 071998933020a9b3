"""pyalex's HTTP session, rerouted and made patient.

pyalex 0.21 builds every URL as https://api.openalex.org/... whatever its config says, and
makes a fresh requests session for each call in `pyalex.api._get_requests_session`. We put our
own factory there: its session mounts, for "https://api.openalex.org", an adapter that sends
each request to OPENALEX_API_URL instead (a mirror, a proxy, or the tests' local server), with
a timeout (pyalex sets none, so a hung server would hold a worker forever) and urllib3 retries
on 429 and 5xx that honour Retry-After up to OPENALEX_RETRY_AFTER_MAX seconds.
"""

from typing import Any

import pyalex
import pyalex.api
import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

PYALEX_BASE = "https://api.openalex.org"
RETRY_STATUSES = (429, 500, 502, 503, 504)


class RerouteAdapter(HTTPAdapter):
    """Sends what pyalex addresses to api.openalex.org to `base_url`, with a timeout."""

    def __init__(self, *, base_url: str, timeout: float, max_retries: Retry) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        super().__init__(max_retries=max_retries)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        if request.url and request.url.startswith(PYALEX_BASE):
            request.url = self.base_url + request.url[len(PYALEX_BASE) :]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


def retry_policy() -> Retry:
    return Retry(
        total=settings.OPENALEX_MAX_RETRIES,
        backoff_factor=settings.OPENALEX_RETRY_BACKOFF,
        status_forcelist=RETRY_STATUSES,
        allowed_methods={"GET"},
        # A server asking for an hour would hold a worker for an hour: wait at most this,
        # then the next try (and, when tries run out, the run stops and can be resumed).
        retry_after_max=settings.OPENALEX_RETRY_AFTER_MAX,
        respect_retry_after_header=True,
        # The last answer is returned rather than raised: pyalex's raise_for_status names
        # the status, which says more than urllib3's "too many 500 error responses".
        raise_on_status=False,
    )


def openalex_session() -> requests.Session:
    session = requests.Session()
    adapter = RerouteAdapter(
        base_url=settings.OPENALEX_API_URL,
        timeout=settings.OPENALEX_TIMEOUT,
        max_retries=retry_policy(),
    )
    # requests picks the adapter of the longest matching prefix: this one before "https://".
    session.mount(PYALEX_BASE, adapter)
    return session


def pyalex_configure() -> None:
    """pyalex's config from the settings (read again on each call, so tests may override
    them), and our session factory in place of its own. Called before each sync."""
    pyalex.config.email = settings.OPENALEX_EMAIL or None
    pyalex.config.api_key = settings.OPENALEX_API_KEY or None
    pyalex.config.max_retries = settings.OPENALEX_MAX_RETRIES
    pyalex.config.retry_backoff_factor = settings.OPENALEX_RETRY_BACKOFF
    pyalex.config.retry_http_codes = list(RETRY_STATUSES)
    pyalex.config.user_agent = f"BZPEER (pyalex/{pyalex.__version__})"
    pyalex.api._get_requests_session = openalex_session
