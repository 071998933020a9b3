from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.shortcuts import resolve_url

register = template.Library()


@register.simple_tag(takes_context=True)
def login_url(context: template.Context) -> str:
    """settings.LOGIN_URL with ?next= back to the page being shown."""
    url = resolve_url(settings.LOGIN_URL)
    request = context.get("request")
    if request is None:
        return url
    return f"{url}?{urlencode({'next': request.get_full_path()})}"
