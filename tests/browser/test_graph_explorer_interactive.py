"""The research graph in headless Chromium: the explorer's interactive graph (cytoscape,
served from static/) pans, zooms, lights a node's links on hover and re-centres on a click;
the server-drawn SVG, the panel's picture and the explorer's fallback without JavaScript,
has no two labels overlapping, at desktop and phone widths."""

import time

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from tests.browser.walk import artifacts_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPLORER = "/researchers/ADEMO0001/graph/"
PANEL = "/researchers/ADEMO0001/graph-panel/"

NODE_AT = """name => {
  const cy = window.bzpeerGraph;
  const node = cy.nodes().filter(n => n.data('full') === name)[0];
  const box = cy.container().getBoundingClientRect();
  const p = node.renderedPosition();
  return {id: node.id(), x: box.left + p.x, y: box.top + p.y};
}"""

# The boxes of the labels a reader sees, and the pairs of them that overlap.
LABEL_OVERLAPS = """() => {
  const boxes = [...document.querySelectorAll('.graph-svg text')]
    .filter(t => getComputedStyle(t).display !== 'none')
    .map(t => ({text: t.textContent, r: t.getBoundingClientRect()}));
  const overlaps = [];
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach(b => {
    const apart = a.r.right <= b.r.left + 0.5 || b.r.right <= a.r.left + 0.5 ||
                  a.r.bottom <= b.r.top + 0.5 || b.r.bottom <= a.r.top + 0.5;
    if (!apart) overlaps.push([a.text, b.text]);
  }));
  return {count: boxes.length, overlaps, smallest: Math.min(...boxes.map(b => b.r.height))};
}"""


def _zoom(page: Page) -> float:
    return float(page.locator(".graph-canvas").get_attribute("data-zoom"))


def _until(page: Page, script: str, timeout: float = 5.0):
    """Poll `script` until it is truthy. (page.wait_for_function evaluates a string, which our
    Content-Security-Policy refuses; page.evaluate goes through the DevTools protocol.)"""
    deadline = time.monotonic() + timeout
    while not (value := page.evaluate(script)):
        assert time.monotonic() < deadline, f"never true: {script}"
        page.wait_for_timeout(50)
    return value


def test_the_explorer_zooms_highlights_neighbours_and_re_centres(live_server, page: Page):
    call_command("load_demo", quiet=True)
    page.goto(live_server.url + EXPLORER)

    canvas = page.locator(".graph-canvas")
    expect(canvas.locator("canvas").first).to_be_attached()
    assert page.evaluate("typeof window.cytoscape") == "function"
    # The SVG gives way to the interactive graph; the lists stay.
    expect(page.locator(".graph-figure")).to_be_hidden()
    expect(page.get_by_role("link", name="Ali Farhadi").first).to_be_visible()

    ali = page.evaluate(NODE_AT, "Ali Farhadi")
    page.mouse.move(ali["x"], ali["y"])
    expect(canvas).to_have_attribute("data-hovered", ali["id"])
    lit = page.evaluate("window.bzpeerGraph.$('.highlighted').map(e => e.id())")
    near = page.evaluate(
        f"window.bzpeerGraph.$id('{ali['id']}').closedNeighborhood().map(e => e.id())"
    )
    assert set(lit) == set(near) and len(near) > 3
    assert page.evaluate("window.bzpeerGraph.$('.faded').length") > 0
    expect(page.locator(".graph-tooltip")).to_have_text("Ali Farhadi")
    # An edge's width is its weight (shared works), and the lit ones show it as a label.
    widths = page.evaluate("window.bzpeerGraph.edges().map(e => e.numericStyle('width'))")
    assert len(set(widths)) > 1
    assert page.evaluate(
        "window.bzpeerGraph.$('edge.highlighted').some(e => e.style('label') !== '')"
    )

    # The wheel and the buttons zoom.
    before = _zoom(page)
    page.mouse.wheel(0, -300)
    _until(page, f"Number(document.querySelector('.graph-canvas').dataset.zoom) > {before}")
    wheeled = _zoom(page)
    page.get_by_role("button", name="Zoom in").click()
    assert _zoom(page) > wheeled
    page.get_by_role("button", name="Fit").click()

    # A filter swaps in a new slice (htmx), drawn again: no papers.
    assert page.evaluate("window.bzpeerGraph.nodes('[kind = \"work\"]').length") > 0
    page.get_by_role("checkbox", name="Papers").uncheck()
    _until(page, "window.bzpeerGraph.nodes('[kind = \"work\"]').length === 0")
    expect(page.locator(".graph-figure")).to_be_hidden()

    # A click on a person re-centres the graph on them.
    ali = page.evaluate(NODE_AT, "Ali Farhadi")
    page.mouse.click(ali["x"], ali["y"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Around Ali Farhadi")
    expect(page.locator(".graph-canvas canvas").first).to_be_attached()


def test_no_two_labels_of_the_svg_overlap(live_server, browser: Browser):
    call_command("load_demo", quiet=True)
    # Without JavaScript the explorer is its SVG; the panel always is.
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    found = {}
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for path in (PANEL, EXPLORER + "?depth=2"):
            page.goto(live_server.url + path)
            found[(path, width)] = page.evaluate(LABEL_OVERLAPS)
    context.close()
    for where, labels in found.items():
        assert labels["overlaps"] == [], where
        assert labels["count"] >= 15, where  # most nodes keep a label
        assert labels["smallest"] >= 10, where  # readable on a phone, too


def test_it_saves_screenshots_of_the_researcher_page_and_the_explorer(live_server, page: Page):
    call_command("load_demo", quiet=True)
    artifacts = artifacts_dir()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + "/researchers/ADEMO0001/")
        expect(page.locator("#graph-panel svg")).to_be_visible()
        page.screenshot(path=artifacts / f"researcher-{width}.png", full_page=True)
        page.goto(live_server.url + EXPLORER + "?depth=2")
        expect(page.locator(".graph-canvas canvas").first).to_be_attached()
        page.screenshot(path=artifacts / f"explorer-{width}.png", full_page=True)
