"""The security posture a browser sees: a Content-Security-Policy that needs no inline script
or style on every page, and pages that hold to it."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from profiles.services.claims import claim_approve, claim_request
from tests.factories import make_author, make_user, make_work

pytestmark = pytest.mark.django_db


DATA_TYPES = ("application/json", "application/ld+json")


class _InlineCode(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' would block."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        # A data block (json_script's JSON, schema.org's JSON-LD) is never run: not code.
        data_block = dict(attrs).get("type") in DATA_TYPES
        if tag == "script" and "src" not in names and not data_block:
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        if "style" in names:
            self.found.append(f"style= on <{tag}>")
        self.found += [f"{name}= on <{tag}>" for name in names if name.startswith("on")]


def _inline_code(html: str) -> list[str]:
    parser = _InlineCode()
    parser.feed(html)
    return parser.found


@pytest.fixture
def pages(client):
    """A world with an owner's record and a work: URLs of the pages people see most, rendered
    for the record's owner (the most controls on one page)."""
    author = make_author(display_name="Mitchell Wortsman")
    work = make_work(authors=[author])
    owner = make_user()
    claim_approve(
        claim=claim_request(user=owner, author=author),
        moderator=make_user(is_staff=True),
        reason="",
    )
    client.force_login(owner)
    return [
        "/",
        reverse("profiles:list") + "?q=wortsman",
        author.get_absolute_url(),
        reverse("graph:trust-panel", args=[author.openalex_id]),
        reverse("graph:graph-panel", args=[author.openalex_id]),
        reverse("graph:explorer", args=[author.openalex_id]),
        work.get_absolute_url(),
        reverse("profiles:following"),
        reverse("profiles:inbox"),
        reverse("notices:list"),
        "/accounts/email/",
        "/about/trust/",
    ]


def test_every_page_carries_a_policy_without_unsafe_sources(client, pages):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
        assert "frame-ancestors 'none'" in policy


def test_no_page_needs_inline_script_or_style(client, pages):
    for url in pages:
        assert _inline_code(client.get(url).content.decode()) == [], url


def test_the_inline_code_check_sees_what_the_policy_blocks():
    html = '<p style="color:red" onclick="x()"><script>alert(1)</script><style>p{}</style></p>'
    assert len(_inline_code(html)) == 4
    assert _inline_code('<script src="/static/x.js"></script>') == []
    assert _inline_code('<script type="application/ld+json">{"name": "x"}</script>') == []
    assert _inline_code('<script type="module">alert(1)</script>') != []


def test_htmx_is_told_to_need_no_eval_and_no_style_element(client):
    html = client.get("/").content.decode()
    assert '"allowEval": false' in html and '"includeIndicatorStyles": false' in html


def test_the_server_error_page_holds_to_the_policy_too():
    from django.template.loader import render_to_string

    assert _inline_code(render_to_string("500.html")) == []
