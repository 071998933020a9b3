"""The pages of the URLconf walk, as the browser tests visit them.

tests/test_permission_walk.py holds a row for every route of our apps (its own test fails when
a route has none), with the path arguments taken from its `world` and the status each persona
gets. The layout and accessibility walks visit every GET route a role may read (a 200 in its
row), so a new page is walked as soon as it has its row; the demo researcher's page and
explorer are added for their fuller content.
"""

from pathlib import Path

from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, Response
from playwright.sync_api import Error as PlaywrightError

from tests.test_permission_walk import TABLE

# The walk's roles and the permission table's persona each is: the owner of a record sees the
# most (their own pages, corrections, inbox, conversation) of anyone logged in.
ROLES = {"logged out": "anonymous", "logged in": "owner", "staff": "staff"}
DEMO_PAGES = ["/researchers/ADEMO0001/", "/researchers/ADEMO0001/graph/?depth=2"]
# Not a page: the load balancer's plain-text probe.
NOT_PAGES = {"healthz"}

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "var" / "artifacts"


def walk_pages(*, persona: str, args: dict) -> list[str]:
    """The path of every page of the walk `persona` may read, then the demo pages."""
    paths = []
    for route, (method, path_args, _data, expected) in TABLE.items():
        if method != "get" or expected[persona] != 200 or route in NOT_PAGES:
            continue
        kwargs = {name: args[key] for name, key in path_args.items()}
        paths.append(reverse(route, kwargs=kwargs))
    return paths + DEMO_PAGES


def role_context(browser: Browser, *, live_url: str, user=None) -> BrowserContext:
    """A browser context logged in as `user` (through a session made by Django's test client,
    not the login form: the walk is about the pages, and this takes a millisecond)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_url}])
    return context


def page_open(page: Page, url: str) -> Response | None:
    """Open `url` in `page`; None if it is not a page to look at (a download, the API's
    JSON)."""
    try:
        response = page.goto(url)
    except PlaywrightError as error:
        if "Download is starting" in error.message:
            return None
        raise
    if not response.headers.get("content-type", "").startswith("text/html"):
        return None
    return response


def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
