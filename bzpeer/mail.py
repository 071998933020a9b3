"""Mail the services send, and the site's address in it."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction


def absolute_url(path: str) -> str:
    """A link for an email: settings.SITE_URL, the same from a request, the worker and beat."""
    return settings.SITE_URL + path


def mail_on_commit(*, to: str | Iterable[str], subject: str, body: str) -> None:
    """Send once the transaction commits, so a rolled-back change never mails anyone. Empty
    addresses are dropped; nothing is sent to nobody."""
    recipients = [to] if isinstance(to, str) else list(to)
    recipients = [address for address in recipients if address]
    if recipients:
        transaction.on_commit(
            lambda: send_mail(f"[BZPEER] {subject}", body, settings.DEFAULT_FROM_EMAIL, recipients)
        )
