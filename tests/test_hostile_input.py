"""Never a 500 from what a URL or a form carries: every route of the URLconf, walked through its
includes (a new route is covered the day it is added), is requested with hostile values in each
path parameter and hostile query strings and forms, by GET and POST, anonymous and logged in.
Each answer may be anything a client can act on (200, 30x, 400, 403, 404, 405, 429), never a
server error."""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from profiles.models import Claim
from profiles.services.claims import claim_request
from profiles.services.invites import invite_accept, message_send
from profiles.services.owner import owner_work_exclude
from tests.factories import make_author, make_institution, make_topic, make_user, make_work
from tests.profiles.invite_helpers import make_owned_author, send_invite
from works.models import Authorship

# What lands in a path parameter: NUL, an id of the wrong kind, far too long, digits that
# str.isdigit accepts but int() does not, a climb out, quotes and markup.
HOSTILE_PATH_VALUES = [
    "\x00",
    "A1\x00B",
    "I123",
    "W1",
    "x" * 1000,
    "²",
    "٣",
    "../",
    "..",
    "' OR 1=1 --",
    "<script>",
]
# An <int:...> parameter only ever matches ASCII digits: what is left to try is their size.
HOSTILE_INT_VALUES = ["0", "99999999999999999999", "9" * 400]
# Every parameter a view of ours reads from a query or a form, at once.
_NAMES = (
    "page", "rpage", "wpage", "q", "depth", "kind", "poll", "next", "p", "o", "id", "authors",
)  # fmt: skip
HOSTILE_QUERIES = [
    {name: "\x00" for name in _NAMES},
    {name: "²" for name in _NAMES},
    {name: "99999999999999999999" for name in _NAMES},
    {name: "-1" for name in _NAMES},
    {"q": "x" * 10_000},
    # The read API's parameters (bzpeer/api/), alone: it refuses any other name first.
    *(
        {name: value for name in ("filter", "search", "sort", "cursor", "per-page", "select")}
        for value in ("²", "type:!|publication_year:>²|9" + "9" * 30)
    ),
]


@dataclass
class Route:
    name: str  # namespaced: "works:detail"
    route: str  # the full pattern, includes joined, e.g. "researchers/<str:author_id>/"

    def build(self, values: dict[str, str]) -> str:
        """The path with each parameter replaced by values[name] (percent-encoded)."""
        path = _replace_regex_groups(self.route, lambda name: quote(values[name], safe="/"))
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: quote(values[m[1]], safe="/"), path)
        # What remains of a regex: anchors and optional slashes.
        path = path.replace("^", "").replace("$", "").replace("/?", "/").replace("\\.", ".")
        return "/" + path

    @property
    def parameters(self) -> list[tuple[str, bool]]:
        """(name, is an int converter) of every parameter."""
        groups = []
        route = _replace_regex_groups(self.route, lambda name: groups.append(name) or "")
        found = [(m[2], m[1] == "int") for m in re.finditer(r"<(?:(\w+):)?(\w+)>", route)]
        return found + [(name, False) for name in groups]


def _replace_regex_groups(pattern: str, replace: Callable[[str], str]) -> str:
    """Each (?P<name>...) group, nested parentheses included, replaced by replace(name)."""
    out, i = [], 0
    while (start := pattern.find("(?P<", i)) != -1:
        name = pattern[start + 4 : pattern.index(">", start)]
        depth, j = 0, start
        while True:
            if pattern[j] == "\\":
                j += 2
                continue
            depth += {"(": 1, ")": -1}.get(pattern[j], 0)
            j += 1
            if depth == 0:
                break
        out += [pattern[i:start], replace(name)]
        i = j
    return "".join([*out, pattern[i:]])


def _routes(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[Route]:
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield Route(name=namespace + (entry.name or ""), route=prefix + str(entry.pattern))


ROUTES = list(_routes())


def _admin_world() -> dict[str, dict]:
    # The admin's routes take the ids of any model: a plain value serves (see _valid_values).
    return {"personas": {"staff": make_user(is_staff=True, is_superuser=True)}, "values": {}}


def _world() -> dict[str, dict]:
    """Records for every kind of id a route takes, owned and connected through the real
    services, so that a valid id reaches deep into each view. Returns the personas and the
    valid value of each path parameter."""
    institution = make_institution()
    topic = make_topic()
    owner = make_user(email="owner@example.org")
    author, _ = make_owned_author(owner=owner, last_known_institutions=[institution])
    coauthor = make_author(display_name="Co Author")
    work = make_work(authors=[author, coauthor], topics=[topic], doi="10.1/x")
    other_work = make_work(authors=[author])
    override = owner_work_exclude(author=author, work=other_work, user=owner, reason="")
    # A pending claim of another record, for the moderator's pages.
    pending = claim_request(user=make_user(), author=coauthor)
    # A conversation of the owner's: another owner's invite, accepted.
    sender_author, sender = make_owned_author()
    conversation = invite_accept(invite=send_invite(sender=sender, author=author), user=owner)
    message = message_send(conversation=conversation, sender=sender, body="Hello")
    open_invite = send_invite(sender=owner, author=sender_author)
    return {
        "personas": {"anonymous": None, "owner": owner},
        "values": {
            "author_id": author.openalex_id,
            "work_id": work.openalex_id,
            "override_id": str(override.id),
            "authorship_id": str(Authorship.objects.get(work=work, author=coauthor).id),
            "invite_id": str(open_invite.id),
            "conversation_id": str(conversation.id),
            "message_id": str(message.id),
            "claim_id": str(Claim.objects.get(user=owner).id),
            "token": "x",
            "key": "x",
            "uidb36": "1",
        },
        # The same parameter name for different kinds of record.
        "by_route": {
            "works:detail": {"openalex_id": work.openalex_id},
            "works:topic": {"openalex_id": topic.openalex_id},
            "works:institution": {"openalex_id": institution.openalex_id},
            "profiles:claim-decide": {"claim_id": str(pending.id)},
            "profiles:detail-orcid": {"author_id": "orcid.org/0000-0002-1825-0097"},
            "api:institution": {"institution_id": institution.openalex_id},
            "api:topic": {"topic_id": topic.openalex_id},
        },
    }


def _valid_values(route: Route, world: dict) -> dict[str, str]:
    values = world["values"] | world.get("by_route", {}).get(route.name, {})
    # Anything else (the admin's object ids, app labels, ...): a plain value.
    return {name: values.get(name, "1" if is_int else "x") for name, is_int in route.parameters}


HTMX = {"HX-Request": "true"}


def _is_admin(route: Route) -> bool:
    return route.route.startswith("admin/")


def _requests(route: Route, world: dict) -> Iterator[tuple[str, str, dict, dict]]:
    """(method, path, data, headers) of every hostile request for a route: htmx asks too
    (not the admin's), as our views answer it by another path (a fragment, not the page)."""
    valid = _valid_values(route, world)
    for name, is_int in route.parameters:
        for value in HOSTILE_INT_VALUES if is_int else HOSTILE_PATH_VALUES:
            path = route.build(valid | {name: value})
            yield "get", path, {}, {}
            yield "post", path, {}, {}
    path = route.build(valid)
    for data in HOSTILE_QUERIES:
        for headers in ({},) if _is_admin(route) else ({}, HTMX):
            yield "get", path, data, headers
            yield "post", path, data, headers


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.route)
def test_no_route_answers_500_to_hostile_input(route: Route):
    # The admin is the staff's alone (for anyone else a redirect to its login).
    world = _admin_world() if _is_admin(route) else _world()
    client = Client(raise_request_exception=False)
    errors = []
    for persona, user in world["personas"].items():
        client.logout()
        for method, path, data, headers in _requests(route, world):
            if user is not None and "_auth_user_id" not in client.session:
                client.force_login(user)  # again: a POST may have logged the client out
            response = getattr(client, method)(path, data, headers=headers)
            if response.status_code >= 500:
                errors.append(f"{persona} {method.upper()} {path[:120]!r} {data!r:.80}")
    assert not errors, f"{len(errors)} answered 500:\n" + "\n".join(errors[:30])


def test_the_walk_reaches_every_app():
    routes = {route.route for route in ROUTES}
    for expected in (
        "researchers/<str:author_id>/",
        "researchers/<str:author_id>/trust/",
        "works/<str:openalex_id>/",
        "invites/<int:invite_id>/",
        "accounts/login/",
        "notifications/",
        "api/works/<path:work_id>",
    ):
        assert expected in routes
    detail = next(r for r in ROUTES if r.route == "researchers/<str:author_id>/")
    assert detail.build({"author_id": "A1\x00B"}) == "/researchers/A1%00B/"
    orcid = next(r for r in ROUTES if r.name == "profiles:detail-orcid")
    assert orcid.build({"author_id": "orcid.org/1"}) == "/researchers/orcid.org/1/"


# --- the two fixes at the edge, case by case -------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/researchers/?q=%00",
        "/researchers/A%00B/",
        "/researchers/A1/works/?page=1%00",
        "/works/W%00/",
        "/topics/T1/?rpage=%00",
        "/institutions/I%001/",
        "/researchers/A1/trust/?poll=%00",
        "/researchers/A1/merge/?with=A%002",
    ],
)
def test_a_nul_anywhere_is_a_400(client, url: str):
    assert client.get(url).status_code == 400
    assert client.post(url.split("?")[0], {"duplicate": "A\x002"}).status_code == 400
    client.cookies["sessionid"] = "abcdefgh\x00"
    assert client.get("/").status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "status"),
    [("²", 200), ("٣", 200), ("-1", 200), ("0", 200), ("", 200), ("2", 200), ("10000", 200),
     ("10001", 404), ("99999999999999999999", 404), ("9" * 5000, 404)],
)  # fmt: skip
def test_a_page_number_is_ascii_digits_and_bounded(client, page: str, status: int):
    author = make_author()
    make_work(authors=[author])
    page_url = f"{author.get_absolute_url()}?page={page}"
    fragment_url = reverse("profiles:works-more", args=[author.openalex_id]) + f"?page={page}"

    assert client.get(page_url).status_code == status
    assert client.get(fragment_url, headers=HTMX).status_code == status
    for route in ("profiles:coauthors", "profiles:topics"):
        list_url = reverse(route, args=[author.openalex_id]) + f"?page={page}"
        assert client.get(list_url).status_code == status
        assert client.get(list_url, headers=HTMX).status_code == status
