import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTIONS = [
    "Trust snapshot",
    "Actions",
    "Research graph",
    "Topics",
    "Co-authors",
    "Institutions",
    "Published work",
]


def test_it_shows_every_section_of_the_demo_researcher_page(live_server, page: Page, artifacts):
    call_command("load_demo", quiet=True)

    page.goto(f"{live_server.url}/researchers/ADEMO0001/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Mitchell Wortsman")
    for name in SECTIONS:
        expect(page.get_by_role("heading", name=re.compile(name), level=2)).to_be_visible()
    expect(page.locator("#researcher-name")).to_be_visible()
    expect(page.get_by_text("University of Washington").first).to_be_visible()
    # No broker in the test run's settings: the trust panel was computed in-process.
    expect(page.locator("#trust-panel .score")).to_be_visible()
    expect(page.get_by_role("link", name="Log in to claim")).to_be_visible()
    works = page.locator("#works-list > li.work-item")
    expect(works).to_have_count(5)
    expect(works.first).to_contain_text("Data Determines Distributional Robustness")
    # Our stylesheet is served and applied (no CDN, no unstyled page).
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"

    page.screenshot(path=artifacts / "researcher-page.png", full_page=True)


def test_it_expands_an_abstract_and_follows_a_coauthor_link(live_server, page: Page):
    call_command("load_demo", quiet=True)
    page.goto(f"{live_server.url}/researchers/ADEMO0001/")

    first = page.locator("#works-list > li.work-item").first
    full_abstract = first.locator("details p")
    expect(full_abstract).to_be_hidden()
    first.get_by_text("Read the full abstract").click()
    expect(full_abstract).to_be_visible()
    expect(full_abstract).to_contain_text("ImageNet-Captions")

    first.get_by_role("link", name="Gabriel Ilharco").click()
    expect(page).to_have_url(re.compile(r"/researchers/ADEMO\d{4}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Gabriel Ilharco")
