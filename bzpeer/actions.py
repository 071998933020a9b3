"""The shape of a view that changes something on a person's behalf: call the service, show
its refusal or the outcome as a message, and go back to where the person was."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from bzpeer.errors import ActionError


def act[T](
    request: HttpRequest,
    action: Callable[[], T],
    *,
    done: str | Callable[[T], str],
    back: Any,
) -> HttpResponse:
    """Run `action`; an ActionError becomes an error message, anything else it returns a
    success message (`done`, or `done(result)`). Then redirect to `back` (a URL, a model
    with get_absolute_url, or a URL name as redirect() takes it)."""
    try:
        result = action()
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done(result) if callable(done) else done)
    return redirect(back)


def form_error(request: HttpRequest, form: Any, fallback: str) -> None:
    """A bound form that did not validate, as one error message."""
    errors = [e for field_errors in form.errors.values() for e in field_errors]
    messages.error(request, " ".join(errors) or fallback)
