import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

# The live server and the worker share the test database, which must therefore commit.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_graph_panel_goes_from_building_to_the_picture(
    live_server, held_worker, page: Page, artifacts
):
    call_command("load_demo", quiet=True)

    page.goto(f"{live_server.url}/researchers/ADEMO0001/")

    panel = page.locator("#graph-panel")
    expect(panel).to_contain_text("Building this graph slice")
    expect(page.locator("#trust-panel")).to_contain_text("Computing the trust score")

    held_worker.set()  # the worker may now run the queued computations

    expect(panel.locator("svg")).to_be_visible(timeout=15_000)
    expect(panel).not_to_contain_text("Building this graph slice")
    expect(panel.get_by_role("link", name="Ali Farhadi").last).to_be_visible()
    expect(panel.get_by_role("link", name="Robustness to Distribution Shift").last).to_be_visible()

    trust = page.locator("#trust-panel")
    expect(trust.locator(".score")).to_be_visible(timeout=15_000)
    trust.get_by_text(re.compile(r"^Why \d+\?$")).click()
    expect(trust.get_by_text("No ORCID iD: 0").first).to_be_visible()

    page.screenshot(path=artifacts / "researcher-graph-panel.png", full_page=True)

    # The SVG's nodes are links to their pages.
    panel.locator("svg a", has_text="Gabriel Ilharco").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gabriel Ilharco")


def test_the_explorer_filters_through_htmx_and_re_centres(live_server, page: Page):
    call_command("load_demo", quiet=True)

    page.goto(f"{live_server.url}/researchers/ADEMO0001/graph/")
    explorer = page.locator("#graph-explorer")
    papers = explorer.locator("section[aria-label='Nearby papers']")
    expect(papers.get_by_role("link").first).to_be_visible()

    page.get_by_role("checkbox", name="Papers").uncheck()  # htmx re-renders the graph, no page load

    expect(papers).to_contain_text("None shown (filtered out).")
    expect(page).to_have_url(re.compile(r"/researchers/ADEMO0001/graph/\?.*depth=1"))
    assert "kind=work" not in page.url

    explorer.get_by_role("link", name="Re-centre the graph on Ali Farhadi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Around Ali Farhadi")
    expect(page.get_by_role("checkbox", name="Papers")).not_to_be_checked()
