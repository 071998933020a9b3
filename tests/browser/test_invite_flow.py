"""Two people go from an invitation to a conversation in headless Chromium: the sender invites
a claimed, open researcher from their page; the researcher logs in, accepts, and each sends
one message, through htmx (no page load)."""

import re

import pytest
from playwright.sync_api import Page, expect

from profiles.services.accounts import person_set_display_name
from tests.factories import PASSWORD, make_user
from tests.profiles.invite_helpers import make_owned_author

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Page, base: str, email: str, name: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    # The header names them by their chosen name, never by their address.
    expect(page.locator(".viewer-name")).to_have_text(name)
    expect(page.locator(".viewer")).not_to_contain_text(email)


def _log_out(page: Page) -> None:
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in", exact=True)).to_be_visible()


def _send_through_htmx(page: Page, text: str) -> None:
    page.evaluate("window.__noReload = true")
    page.get_by_label("Message").fill(text)
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#thread .message-mine").last).to_contain_text(text)
    expect(page.get_by_label("Message")).to_have_value("")
    assert page.evaluate("window.__noReload") is True


def test_it_goes_from_invite_to_a_conversation(live_server, page: Page, artifacts):
    base = live_server.url
    owner = make_user(email="mitchell@example.org")
    author, _ = make_owned_author(owner=owner, display_name="Mitchell Wortsman")
    sender = make_user(email="sender@example.org")
    person_set_display_name(user=sender, display_name="Sam Sender")

    _log_in(page, base, "sender@example.org", "Sam Sender")
    page.goto(f"{base}{author.get_absolute_url()}")
    expect(page.locator("#collaborate")).to_contain_text("Mitchell Wortsman is open to collaborate")
    page.get_by_role("link", name="Invite to collaborate").click()
    page.screenshot(path=artifacts / "invite-form.png", full_page=True)
    page.get_by_label("A subject of your own").check()
    page.get_by_role("textbox", name="Subject").fill("Robust fine-tuning of CLIP")
    page.get_by_role("textbox", name="Message").fill(
        "Your WiSE-FT paper fits what we do; shall we talk?"
    )
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".messages")).to_contain_text("Your invitation is on its way.")
    _log_out(page)

    # Without a chosen name, the owner is known by their proven record's.
    _log_in(page, base, "mitchell@example.org", "Mitchell Wortsman")
    expect(page.locator(".notices-link .unread-count")).to_be_visible()
    expect(page.locator(".inbox-link .unread-count")).to_have_text("1 waiting")
    page.get_by_role("link", name=re.compile("^Inbox")).click()
    expect(page.locator("main")).to_contain_text("From Sam Sender")
    expect(page.locator("main")).not_to_contain_text("sender@example.org")
    page.screenshot(path=artifacts / "inbox.png", full_page=True)
    page.get_by_role("link", name="Robust fine-tuning of CLIP").click()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Robust fine-tuning of CLIP")
    _send_through_htmx(page, "Gladly. What data do you have in mind?")
    conversation_url = page.url
    _log_out(page)

    _log_in(page, base, "sender@example.org", "Sam Sender")
    page.goto(conversation_url)
    expect(page.locator("#thread")).to_contain_text("Gladly. What data do you have in mind?")
    _send_through_htmx(page, "ImageNet shifts, to start.")
    page.screenshot(path=artifacts / "conversation.png", full_page=True)
    expect(page.locator("#thread .message")).to_have_count(2)
    expect(page.locator("main")).not_to_contain_text("mitchell@example.org")
    # Opening the thread read its notifications; the new message is the recipient's to see.
    expect(page.locator(".unread-count")).to_have_count(0)
