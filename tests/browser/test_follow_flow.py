"""A reader logs in from "Log in to follow", comes back to the researcher page and follows:
the button and both follower counts change in place, without a page load (headless Chromium)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_follows_and_unfollows_without_a_page_load(live_server, page: Page, artifacts):
    call_command("load_demo", quiet=True)
    make_user(email="reader@example.org")
    researcher = f"{live_server.url}/researchers/ADEMO0001/"

    page.goto(researcher)
    expect(page.locator("#followers-count")).to_have_text("0 followers")
    page.get_by_role("link", name="Log in to follow").click()
    page.locator("input[name=login]").fill("reader@example.org")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(researcher)

    # A marker on the window survives an htmx swap and dies with a page load.
    page.evaluate("window.__noReload = true")
    page.get_by_role("button", name="Follow researcher").click()
    expect(page.get_by_role("button", name="Following · Unfollow")).to_be_visible()
    expect(page.locator("#followers-count")).to_have_text("1 follower")
    expect(page.locator("#follow-panel .count-pill")).to_have_text("1 follower")
    assert page.evaluate("window.__noReload") is True
    page.screenshot(path=artifacts / "follow-researcher.png", full_page=True)

    page.get_by_role("button", name="Following · Unfollow").click()
    expect(page.get_by_role("button", name="Follow researcher")).to_be_visible()
    expect(page.locator("#followers-count")).to_have_text("0 followers")
    assert page.evaluate("window.__noReload") is True
