from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The site's 404 page (handler404), in the site's layout."""
    return render(request, "404.html", status=404)
