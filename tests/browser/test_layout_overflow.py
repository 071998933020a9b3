"""No page of the URLconf walk is wider than the window, from a 360 px phone to a 1280 px
desktop, logged out, logged in (a record's owner) and as staff; logged in at 1280 px the
header keeps to one row. One browser, one page per role: the window is resized, not
relaunched (headless Chromium)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser

from tests.browser.walk import ROLES, page_open, role_context, walk_pages
from tests.test_permission_walk import world  # noqa: F401 (the walk's records, a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 390, 768, 1280)

# What sticks out furthest (outside any box that clips it), to say what overflows.
WIDEST = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  let worst = null;
  for (const el of document.body.querySelectorAll('*')) {
    const right = el.getBoundingClientRect().right;
    if (right > width + 0.5 && (!worst || right > worst.right) && !clipped(el)) {
      const text = (el.textContent || '').trim().slice(0, 40);
      worst = {right, tag: el.tagName, cls: String(el.className.baseVal ?? el.className), text};
    }
  }
  return worst;
}"""


def test_no_page_is_wider_than_the_window(live_server, browser: Browser, world):  # noqa: F811
    call_command("load_demo", quiet=True)
    users, args = world
    too_wide, two_rows = [], []
    for role, persona in ROLES.items():
        context = role_context(browser, live_url=live_server.url, user=users.get(persona))
        page = context.new_page()
        for path in walk_pages(persona=persona, args=args):
            page.set_viewport_size({"width": 1280, "height": 900})
            response = page_open(page, live_server.url + path)
            if response is None:
                continue
            assert response.status == 200, (role, path, response.status)
            # At 1280 px the header is one row, for everyone.
            if _header_rows(page) > 1:
                two_rows.append((role, path))
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                if scroll_width > width:
                    too_wide.append((role, width, path, scroll_width, page.evaluate(WIDEST)))
        context.close()
    assert too_wide == []
    assert two_rows == []


def _header_rows(page) -> int:
    """1 if the header's items share one row (all overlap the first vertically), else 2; 1 on
    a page without our header."""
    return page.evaluate(
        """() => {
          const boxes = [...(document.querySelector('.site-header-inner')?.children ?? [])]
            .map(el => el.getBoundingClientRect()).filter(r => r.height > 0);
          const first = boxes[0];
          return boxes.every(r => r.top < first.bottom && r.bottom > first.top) ? 1 : 2;
        }"""
    )
