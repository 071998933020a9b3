"""A prolific researcher's long lists grow in place: "Show more works" and "Show more
co-authors" append the next step, "Show all N authors" expands a work's byline, without a
page load; and none of these pages is wider than a phone (headless Chromium)."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.factories import make_author, make_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def prolific():
    """45 works (the newest a 150-author consortium paper), 130 co-authors."""
    author = make_author(display_name="Prolific Person")
    coauthors = [make_author(display_name=f"Coauthor {i:03d}") for i in range(130)]
    for n in range(44):
        make_work(
            authors=[author, *coauthors[n * 3 % 130 : n * 3 % 130 + 3]],
            title=f"Work {n:02d}",
            publication_year=1970 + n,
        )
    members = [make_author(display_name=f"Member {n:03d}") for n in range(149)]
    consortium = make_work(
        authors=[*members[:120], author, *members[120:]], title="Consortium", byline_size=150
    )
    return author, consortium


def test_it_shows_more_works_and_coauthors_in_place(live_server, page: Page, prolific, artifacts):
    author, _ = prolific
    page.goto(f"{live_server.url}{author.get_absolute_url()}")
    page.evaluate("window.__noReload = true")

    works = page.locator("#works-list > li.work-item")
    expect(works).to_have_count(20)
    expect(works.first.locator(".more-authors")).to_have_text("and 129 more")
    page.get_by_role("link", name="Show more works").click()
    expect(works).to_have_count(40)
    page.get_by_role("link", name="Show more works").click()
    expect(works).to_have_count(45)
    expect(page.get_by_role("link", name="Show more works")).to_have_count(0)
    assert page.evaluate("window.__noReload") is True

    page.get_by_role("link", name="All 130 co-authors").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Co-authors of Prolific Person")
    rows = page.locator("#coauthor-list > li:not(.show-more)")
    expect(rows).to_have_count(100)
    page.evaluate("window.__noReload = true")
    page.get_by_role("link", name="Show more co-authors").click()
    expect(rows).to_have_count(130)
    expect(page.get_by_role("link", name="Show more co-authors")).to_have_count(0)
    assert page.evaluate("window.__noReload") is True
    page.screenshot(path=artifacts / "researcher-coauthors.png", full_page=True)


def test_it_expands_a_long_byline_in_place(live_server, page: Page, prolific, artifacts):
    _, consortium = prolific
    page.goto(f"{live_server.url}{consortium.get_absolute_url()}")
    page.evaluate("window.__noReload = true")

    authors = page.locator("#author-list ol.author-list > li")
    expect(authors).to_have_count(100)
    page.get_by_role("link", name="Show all 150 authors").click()
    expect(authors).to_have_count(150)
    expect(authors.nth(120)).to_contain_text("Prolific Person")
    assert page.evaluate("window.__noReload") is True
    page.screenshot(path=artifacts / "work-long-byline.png", full_page=True)


def test_no_long_list_is_wider_than_a_phone(live_server, browser: Browser, prolific):
    author, consortium = prolific
    paths = [
        author.get_absolute_url(),
        f"{author.get_absolute_url()}coauthors/",
        f"{author.get_absolute_url()}topics/",
        consortium.get_absolute_url(),
        f"{consortium.get_absolute_url()}?authors=all",
    ]
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    widths = {}
    for path in paths:
        page.goto(live_server.url + path)
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert widths == dict.fromkeys(paths, 390)
