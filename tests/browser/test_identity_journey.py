"""Two new people, in two browsers, from sign-up to a live conversation (headless Chromium):
each signs up with a name, proves their record, one follows and invites the other, who
accepts; then they write, and the other's open page shows each message without a reload.
Neither ever sees the other's email address. Screenshots of the inbox and the thread at
1280 and 390 px land in var/artifacts/."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from profiles.services.claims import claim_approve, claim_request
from profiles.services.owner import owner_profile_update
from tests.factories import make_author, make_topic, make_user, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and unusual passphrase"
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "artifacts"
LIVE = 10_000  # ms: the open thread polls every 2 s


class Person:
    """One person's browser, with the address nobody else may ever see."""

    def __init__(self, browser: Browser, base: str, name: str, email: str) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page: Page = self.context.new_page()
        self.base, self.name, self.email = base, name, email
        self.others_email = ""

    def sees_no_other_email(self) -> None:
        assert self.others_email not in self.page.content(), self.page.url

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.sees_no_other_email()

    def shots(self, stem: str) -> None:
        for width in (1280, 390):
            self.page.set_viewport_size({"width": width, "height": 900})
            self.page.screenshot(path=ARTIFACTS / f"{stem}-{width}.png", full_page=True)
            assert self.page.evaluate("document.documentElement.scrollWidth") <= width, stem
        self.page.set_viewport_size({"width": 1280, "height": 900})


def _link_in_last_mail(to: str, path: str) -> str:
    body = next(m.body for m in reversed(mail.outbox) if to in m.to)
    match = re.search(rf"https?://[^\s/]+({path}[^\s]+)", body)
    assert match, body
    return match.group(1)


def _sign_up(person: Person) -> None:
    page = person.page
    person.goto("/accounts/signup/")
    page.locator("input[name=display_name]").fill(person.name)
    page.locator("input[name=email]").fill(person.email)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Verify"))
    person.goto(_link_in_last_mail(person.email, "/accounts/confirm-email/"))
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".messages")).to_contain_text(f"Successfully signed in as {person.name}.")
    expect(page.locator(".viewer-name")).to_have_text(person.name)


def _prove(person: Person, author: object, *, open_to_collaborate: bool = False) -> None:
    """The claim, proven by a moderator (the claim flow's own browser test drives the proof)."""
    user = get_user_model().objects.get(email=person.email)
    claim = claim_request(user=user, author=author)
    claim_approve(claim=claim, moderator=make_user(is_staff=True), reason="")
    if open_to_collaborate:
        owner_profile_update(
            author=author,
            user=user,
            summary="",
            open_to_collaborate=True,
            shown_institution_id=None,
        )


def test_two_new_people_meet_and_talk_live_without_ever_seeing_an_address(
    live_server, browser: Browser
):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shared = make_topic(display_name="Distribution shift")
    friend = make_author(display_name="Ali Farhadi")
    ada_record = make_author(display_name="Ada Lovelace")
    mitch_record = make_author(display_name="Mitchell Wortsman")
    make_work(authors=[ada_record, friend], topics=[shared], title="Shifted data")
    make_work(authors=[mitch_record, friend], topics=[shared], title="Robust fine-tuning")

    ada = Person(browser, live_server.url, "Ada L.", "ada.private@example.net")
    mitch = Person(browser, live_server.url, "Mitch W.", "mitch.private@example.net")
    ada.others_email, mitch.others_email = mitch.email, ada.email

    _sign_up(ada)
    _sign_up(mitch)
    _prove(ada, ada_record)
    _prove(mitch, mitch_record, open_to_collaborate=True)

    # Ada follows Mitchell's page and invites him.
    ada.goto(mitch_record.get_absolute_url())
    ada.page.get_by_role("button", name="Follow researcher").click()
    expect(ada.page.get_by_role("button", name="Following · Unfollow")).to_be_visible()
    ada.page.get_by_role("link", name="Invite to collaborate").click()
    ada.page.get_by_label("A subject of your own").check()
    ada.page.get_by_role("textbox", name="Subject").fill("Shifts in the wild")
    ada.page.get_by_role("textbox", name="Message").fill(
        "Our shifted-data work meets your fine-tuning; shall we talk?"
    )
    ada.page.get_by_role("button", name="Send invitation").click()
    expect(ada.page.locator(".messages")).to_contain_text("Your invitation is on its way.")
    ada.sees_no_other_email()

    # Mitchell sees who writes: her name, her proven record and its level, why she fits.
    mitch.goto("/")
    expect(mitch.page.locator(".inbox-link .unread-count")).to_have_text(re.compile("1"))
    mitch.page.get_by_role("link", name=re.compile("^Inbox")).click()
    row = mitch.page.locator(".notice-item", has_text="Shifts in the wild")
    expect(row).to_contain_text("From Ada L. · researcher Ada Lovelace L4")
    mitch.sees_no_other_email()
    mitch.shots("inbox")
    mitch.page.get_by_role("link", name="Shifts in the wild").click()
    expect(mitch.page.locator(".invite-fit")).to_contain_text("Distribution shift")
    expect(mitch.page.locator(".invite-fit")).to_contain_text("Ali Farhadi")
    mitch.sees_no_other_email()
    mitch.page.get_by_role("button", name="Accept").click()
    expect(mitch.page.get_by_role("heading", level=1)).to_have_text("Shifts in the wild")
    expect(mitch.page.locator(".conversation .eyebrow")).to_contain_text("Ada L.")
    mitch.page.evaluate("window.__noReload = true")

    # Ada opens the thread from her inbox and writes; Mitchell's open page shows it.
    ada.goto("/inbox/")
    ada.page.get_by_role("link", name="Shifts in the wild").first.click()
    expect(ada.page.locator(".conversation .eyebrow")).to_contain_text("Mitch W.")
    ada.page.get_by_label("Message").fill("Hello Mitchell, here is our data.")
    ada.page.get_by_role("button", name="Send").click()
    expect(ada.page.locator("#thread .message-mine")).to_contain_text("here is our data")
    expect(ada.page.locator("#read-state")).to_have_text(
        "Mitch W. has not seen your last message yet"
    )
    ada.page.evaluate("window.__noReload = true")

    expect(mitch.page.locator("#thread-messages")).to_contain_text(
        "Hello Mitchell, here is our data.", timeout=LIVE
    )
    expect(mitch.page.locator("#thread-messages .message")).to_have_count(1)
    # Ada's open page learns, through its poll, that he saw it.
    expect(ada.page.locator("#read-state")).to_have_text(
        "Mitch W. has seen your last message", timeout=LIVE
    )

    mitch.page.get_by_label("Message").fill("Thanks Ada, reading it now.")
    mitch.page.get_by_role("button", name="Send").click()
    expect(ada.page.locator("#thread-messages")).to_contain_text(
        "Thanks Ada, reading it now.", timeout=LIVE
    )
    expect(ada.page.locator("#thread-messages .message")).to_have_count(2)
    assert mitch.page.evaluate("window.__noReload") is True
    assert ada.page.evaluate("window.__noReload") is True
    for person in (ada, mitch):
        person.sees_no_other_email()
        person.shots(f"conversation-{person.name.split()[0].lower()}")

    # Back to the inbox and to the other's page, from the thread.
    mitch.page.get_by_role("link", name="Ada Lovelace's researcher page").click()
    expect(mitch.page.get_by_role("heading", level=1)).to_contain_text("Ada Lovelace")
    mitch.sees_no_other_email()
    ada.page.get_by_role("link", name="← Inbox").click()
    expect(ada.page.get_by_role("heading", level=1)).to_have_text("Inbox")
    ada.sees_no_other_email()
    ada.shots("inbox-ada")
    for person in (ada, mitch):
        person.goto("/notifications/")
        person.context.close()
