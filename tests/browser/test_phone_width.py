"""On a phone (390 px), no page is wider than the screen, logged in as staff (the longest
header) or not (headless Chromium)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser

from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["/", "/researchers/?q=wortsman", "/researchers/ADEMO0001/", "/claims/review/"]


def test_no_page_is_wider_than_a_phone(live_server, browser: Browser):
    call_command("load_demo", quiet=True)
    make_user(email="a.long.address.of.a.moderator@bzpeer.example", is_staff=True)
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill("a.long.address.of.a.moderator@bzpeer.example")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/")
    widths = {}
    for path in PAGES:
        page.goto(live_server.url + path)
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert widths == dict.fromkeys(PAGES, 390)
