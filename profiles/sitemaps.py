"""sitemap.xml (an index of sections of at most 50,000 addresses: researcher pages, then work
pages) and robots.txt, for search engines.

A section is two queries whatever its size (the count, then one page of ids): items are
bare ids, and each address is made by filling the id into the URL once reversed, not by a
reverse() or a model instance per row. Pages hidden at their owner's request are left out
(profiles.selectors.visibility)."""

from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from profiles.selectors.visibility import exclude_hidden
from works.models import Author, Work

_ID = "__id__"


class _IdSitemap(Sitemap):
    """Rows as (openalex_id, updated_date) tuples, ordered by primary key so the pages are
    stable while rows are added."""

    url_name = ""

    def __init__(self) -> None:
        self._pattern = reverse(self.url_name, args=[_ID])
        # SITE_URL's scheme, not the one the request arrived with behind a proxy; the host
        # is the request's (get_current_site), as in the index's addresses.
        self.protocol = urlsplit(settings.SITE_URL).scheme or "https"

    def queryset(self) -> QuerySet:
        raise NotImplementedError

    def items(self) -> QuerySet:
        return self.queryset().order_by("pk").values_list("openalex_id", "updated_date")

    def location(self, item: tuple[str, date | None]) -> str:
        return self._pattern.replace(_ID, item[0])

    def lastmod(self, item: tuple[str, date | None]) -> datetime | None:
        # OpenAlex's date of the record; a datetime, as the views' Last-Modified needs.
        day = item[1]
        return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None

    def get_latest_lastmod(self) -> None:
        # Sitemap's own would read every row of the section for the index: left out.
        return None


class ResearcherSitemap(_IdSitemap):
    url_name = "profiles:detail"

    def queryset(self) -> QuerySet:
        return exclude_hidden(Author.objects.public().filter(works_in_db__gt=0))


class WorkSitemap(_IdSitemap):
    url_name = "works:detail"

    def queryset(self) -> QuerySet:
        return Work.objects.all()


SITEMAPS = {"researchers": ResearcherSitemap, "works": WorkSitemap}


@require_GET
def sitemap_index(request: HttpRequest) -> HttpResponse:
    return sitemap_views.index(request, SITEMAPS, sitemap_url_name="profiles:sitemap-section")


@require_GET
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    return sitemap_views.sitemap(request, SITEMAPS, section=section)


# What crawlers may read: the public pages. Not: sign-in and account pages, the admin, the
# API (rate-limited; bulk readers should take OpenAlex's snapshot), personal pages, and the
# htmx fragments and actions that only make sense inside a page.
ROBOTS_DISALLOW = (
    "/accounts/",
    "/admin/",
    "/api/",
    "/account/",
    "/inbox/",
    "/following/",
    "/notifications/",
    "/conversations/",
    "/invites/",
    "/messages/",
    "/claims/",
    "/merges/",
    "/transfers/",
    "/staff/",
    "/healthz",
    "/researchers/*/works/",
    "/researchers/*/trust/",
    "/researchers/*/graph-panel/",
)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOW]
    # The host asked for (ALLOWED_HOSTS checked it), as in the sitemaps' own addresses.
    scheme = urlsplit(settings.SITE_URL).scheme or "https"
    lines.append(f"Sitemap: {scheme}://{request.get_host()}{reverse('profiles:sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
