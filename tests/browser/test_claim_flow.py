"""A new user signs up, verifies their email, claims the demo researcher by institutional
email and sees the page change (headless Chromium; the emails read from Django's outbox)."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and unusual passphrase"


def _link_in_last_mail(path: str) -> str:
    """The link's path and query: the mail's host is SITE_URL, the browser's the live server."""
    match = re.search(rf"https?://[^\s/]+({path}[^\s]+)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_it_signs_up_verifies_and_claims_the_demo_researcher(live_server, page: Page, artifacts):
    call_command("load_demo", quiet=True)
    researcher = f"{live_server.url}/researchers/ADEMO0001/"

    page.goto(researcher)
    expect(page.locator("#claim")).to_contain_text("Claiming links this public author record")
    page.get_by_role("link", name="Sign up").click()
    page.locator("input[name=display_name]").fill("Mitchell W.")
    page.locator("input[name=email]").fill("mitchell.w@gmail.com")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Verify"))

    page.goto(live_server.url + _link_in_last_mail("/accounts/confirm-email/"))
    page.get_by_role("button", name="Confirm").click()
    page.goto(researcher)
    # The header names them by the name chosen at sign-up, not by their address.
    expect(page.locator(".viewer-name")).to_have_text("Mitchell W.")

    page.get_by_role("link", name="Claim this record").click()
    expect(page.locator("main")).to_contain_text("washington.edu")  # the proof it will ask
    page.get_by_role("button", name="Yes, claim this record").click()
    expect(page.locator("#claim")).to_contain_text("Claim pending: yours")
    expect(page.locator("#claim")).to_contain_text("washington.edu")
    page.get_by_label("Your institutional email").fill("mitchell@cs.washington.edu")
    page.get_by_role("button", name="Send confirmation link").click()
    expect(page.locator(".messages")).to_contain_text("We sent a link")
    assert mail.outbox[-1].to == ["mitchell@cs.washington.edu"]

    page.goto(live_server.url + _link_in_last_mail("/claims/verify/"))
    page.get_by_role("button", name="Confirm my claim").click()

    expect(page.locator("#claim")).to_contain_text("You own this record")
    expect(page.locator(".trust")).to_contain_text("L3 · Claim proven by institutional email")
    expect(page.locator(".badge-claim")).to_have_text("Claimed by the researcher · L3")
    page.screenshot(path=artifacts / "claim-owner.png", full_page=True)

    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.locator(".badge-claim")).to_have_text("Claimed by the researcher · L3")
    expect(page.get_by_role("link", name="Log in to claim")).to_have_count(0)
