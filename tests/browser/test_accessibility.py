"""Accessibility in headless Chromium: axe-core (vendored for the tests only, in
tests/browser/vendor/axe-core/) finds no serious or critical violation on any page of the
URLconf walk, logged out or logged in; and a reader follows a researcher with the keyboard
alone, from "Log in to follow" to "Following", with Tab, typing and Enter."""

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from tests.browser.walk import page_open, role_context, walk_pages
from tests.factories import PASSWORD, make_user
from tests.test_permission_walk import world  # noqa: F401 (the walk's records, a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    resultTypes: ['violations'],
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
  });
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def test_no_page_has_a_serious_accessibility_violation(
    live_server,
    browser: Browser,
    world,  # noqa: F811
):
    call_command("load_demo", quiet=True)
    users, args = world
    found = []
    for persona in ("anonymous", "owner"):
        context = role_context(browser, live_url=live_server.url, user=users.get(persona))
        # Into every page before its own scripts, not as a <script>: our CSP refuses those.
        context.add_init_script(script=AXE)
        page = context.new_page()
        for path in walk_pages(persona=persona, args=args):
            if page_open(page, live_server.url + path) is None:
                continue
            # What htmx loads after the page (the trust and graph panels) is in.
            page.locator(".htmx-request").first.wait_for(state="detached")
            for v in page.evaluate(RUN_AXE):
                found.append(
                    f"{persona} {path}: {v['impact']} {v['id']} ({v['help']}) {v['nodes']}"
                )
        context.close()
    assert found == [], "\n".join(found)


def _tab_to(page: Page, text: str, limit: int = 80) -> None:
    """Press Tab until the focused element reads `text` (its text, value or label)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
              const el = document.activeElement;
              return (el.getAttribute('aria-label') || el.value || el.innerText || '').trim();
            }"""
        )
        if focused == text:
            return
    raise AssertionError(f"Tab never reached {text!r}")


def test_a_reader_follows_with_the_keyboard_alone(live_server, page: Page):
    call_command("load_demo", quiet=True)
    make_user(email="reader@example.org")
    researcher = f"{live_server.url}/researchers/ADEMO0001/"
    page.goto(researcher)

    _tab_to(page, "Log in to follow")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/login/**")
    page.keyboard.press("Tab")  # the page's first stop is the skip link, then the form
    while page.evaluate("document.activeElement.name") != "login":
        page.keyboard.press("Tab")
    page.keyboard.type("reader@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")  # submits the form
    page.wait_for_url(researcher)

    _tab_to(page, "Follow researcher")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Following · Unfollow")).to_be_visible()
    expect(page.locator("#followers-count")).to_have_text("1 follower")


def test_a_researcher_invites_with_the_keyboard_alone(live_server, page: Page):
    from profiles.services.accounts import person_set_display_name
    from tests.profiles.invite_helpers import make_owned_author

    owner = make_user(email="mitchell@example.org")
    author, _ = make_owned_author(owner=owner, display_name="Mitchell Wortsman")
    sender = make_user(email="sender@example.org")
    person_set_display_name(user=sender, display_name="Sam Sender")
    researcher = f"{live_server.url}{author.get_absolute_url()}"
    page.goto(f"{live_server.url}/accounts/login/?next={author.get_absolute_url()}")
    while page.evaluate("document.activeElement.name") != "login":
        page.keyboard.press("Tab")
    page.keyboard.type("sender@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(researcher)

    _tab_to(page, "Invite to collaborate")
    page.keyboard.press("Enter")
    page.wait_for_url("**/invite/")
    while page.evaluate("document.activeElement.name") != "focus_kind":
        page.keyboard.press("Tab")
    # Arrows move the choice within a group of radio buttons.
    while page.evaluate("document.activeElement.value") != "subject":
        page.keyboard.press("ArrowDown")
    while page.evaluate("document.activeElement.name") != "subject":
        page.keyboard.press("Tab")
    page.keyboard.type("Robust fine-tuning of CLIP")
    while page.evaluate("document.activeElement.name") != "message":
        page.keyboard.press("Tab")
    page.keyboard.type("Your WiSE-FT paper fits what we do; shall we talk?")
    _tab_to(page, "Send invitation")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Your invitation is on its way.")
