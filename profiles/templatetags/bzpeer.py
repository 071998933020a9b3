from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def login_url(context: template.Context) -> str:
    """settings.LOGIN_URL with ?next= back to the page being shown."""
    return _with_next(context, resolve_url(settings.LOGIN_URL))


@register.simple_tag(takes_context=True)
def signup_url(context: template.Context) -> str:
    """The sign-up page with ?next= back to the page being shown."""
    return _with_next(context, reverse("account_signup"))


def _with_next(context: template.Context, url: str) -> str:
    request = context.get("request")
    if request is None:
        return url
    return f"{url}?{urlencode({'next': request.get_full_path()})}"
