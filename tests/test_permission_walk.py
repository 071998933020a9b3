"""Who may use every view: each URL pattern of our apps (walked from the URLconf, so a new view
cannot ship without its row here) requested by anonymous, a logged-in outsider, the record's
owner, the owner of another record and staff, each on a fresh world."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from notices.services import notification_create
from profiles.services.claims import claim_approve, claim_request
from profiles.services.invites import invite_accept, invite_create, message_send, report_create
from profiles.services.merges import author_merge_duplicate
from profiles.services.owner import owner_profile_update, owner_work_exclude, owner_work_include
from tests.factories import (
    make_author,
    make_institution,
    make_topic,
    make_user,
    make_work,
)

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "logged-in", "owner", "another owner", "staff")
LOGIN = "login"  # a redirect to the login page

# What the status codes mean in the table below.
EVERYONE_200 = dict.fromkeys(PERSONAS, 200)
LOGGED_IN_200 = {"anonymous": LOGIN} | dict.fromkeys(PERSONAS[1:], 200)
OWNER_AND_STAFF = {"anonymous": LOGIN, "logged-in": 403, "another owner": 403}


def _curator(status: int) -> dict:
    return OWNER_AND_STAFF | {"owner": status, "staff": status}


def _logged_in(status: int) -> dict:
    return {"anonymous": LOGIN} | dict.fromkeys(PERSONAS[1:], status)


# route -> (method, path arguments from the world, form data, {persona: status})
TABLE = {
    "healthz": ("get", {}, {}, EVERYONE_200),
    "profiles:home": ("get", {}, {}, EVERYONE_200),
    "profiles:list": ("get", {}, {}, EVERYONE_200),
    "profiles:detail": ("get", {"author_id": "record"}, {}, EVERYONE_200),
    "profiles:detail-orcid": ("get", {"author_id": "orcid_url"}, {}, dict.fromkeys(PERSONAS, 302)),
    # Without htmx, "Show more" leads to the page at that step.
    "profiles:works-more": ("get", {"author_id": "record"}, {}, dict.fromkeys(PERSONAS, 302)),
    # The full lists behind the page's capped co-authors and topics: public like the page.
    "profiles:coauthors": ("get", {"author_id": "record"}, {}, EVERYONE_200),
    "profiles:topics": ("get", {"author_id": "record"}, {}, EVERYONE_200),
    "profiles:follow": ("post", {"author_id": "record"}, {}, _logged_in(302) | {"owner": 403}),
    "profiles:unfollow": ("post", {"author_id": "record"}, {}, _logged_in(302)),
    # Claiming is open to every logged-in account; the service says why it cannot happen.
    "profiles:claim": ("post", {"author_id": "record"}, {}, _logged_in(302)),
    # "Claim this record" asks first: the page says why one cannot, where one cannot.
    "profiles:claim-confirm": ("get", {"author_id": "record"}, {}, _logged_in(200)),
    "profiles:work-not-me": (
        "post",
        {"author_id": "record", "work_id": "work"},
        {"reason": "not me"},
        _curator(302),
    ),
    "profiles:work-correction-undo": (
        "post",
        {"author_id": "record", "override_id": "override"},
        {},
        _curator(302),
    ),
    "profiles:work-add": ("get", {"author_id": "record"}, {}, _curator(200)),
    "profiles:work-add-authorship": (
        "post",
        {"author_id": "record", "authorship_id": "unclaimed_authorship"},
        {},
        _curator(302),
    ),
    "profiles:work-add-authorship-confirm": (
        "get",
        {"author_id": "record", "authorship_id": "unclaimed_authorship"},
        {},
        _curator(200),
    ),
    "profiles:record-merge": ("get", {"author_id": "record"}, {}, _curator(200)),
    "profiles:owner-profile": ("get", {"author_id": "record"}, {}, _curator(200)),
    # The owner's "Refresh from OpenAlex" panel (the POST is tests/profiles/test_owner_refresh.py).
    "profiles:record-refresh": ("get", {"author_id": "record"}, {}, _curator(200)),
    "profiles:record-merge-undo": (
        "post",
        {"merge_id": "merge"},
        {},
        OWNER_AND_STAFF | {"owner": 403, "staff": 302},
    ),
    # The owner asked for a work of the other owner's record: those two and staff see it; the
    # other owner (or staff) answers.
    "profiles:work-transfer": (
        "get",
        {"transfer_id": "transfer"},
        {},
        {"anonymous": LOGIN, "logged-in": 403, "owner": 200, "another owner": 200, "staff": 200},
    ),
    "profiles:work-transfer-decide": (
        "post",
        {"transfer_id": "transfer"},
        {"action": "decline"},
        {"anonymous": LOGIN, "logged-in": 403, "owner": 403, "another owner": 302, "staff": 302},
    ),
    "profiles:invite-new": ("get", {"author_id": "record"}, {}, _logged_in(200)),
    "profiles:following": ("get", {}, {}, LOGGED_IN_200),
    "profiles:following-digest": ("post", {}, {"digest": "on"}, _logged_in(302)),
    "profiles:inbox": ("get", {}, {}, LOGGED_IN_200),
    # The invite is from the outsider to the owner: nobody else learns it exists.
    "profiles:invite": (
        "get",
        {"invite_id": "invite"},
        {},
        {"anonymous": LOGIN, "logged-in": 200, "owner": 200, "another owner": 404, "staff": 404},
    ),
    **{
        f"profiles:invite-{action}": (
            "post",
            {"invite_id": "invite"},
            {"reason": "spam"},
            {
                "anonymous": LOGIN,
                "logged-in": 403,
                "owner": 302,
                "another owner": 404,
                "staff": 404,
            },
        )
        for action in ("accept", "decline", "block", "report")
    },
    # The conversation is between the other owner (who invited) and the owner.
    "profiles:conversation": (
        "get",
        {"conversation_id": "conversation"},
        {},
        {"anonymous": LOGIN, "logged-in": 404, "owner": 200, "another owner": 200, "staff": 404},
    ),
    "profiles:message-create": (
        "post",
        {"conversation_id": "conversation"},
        {"body": "Hello again"},
        {"anonymous": LOGIN, "logged-in": 404, "owner": 302, "another owner": 302, "staff": 404},
    ),
    # The open thread's poll; without htmx it leads to the thread.
    "profiles:conversation-new": (
        "get",
        {"conversation_id": "conversation"},
        {},
        {"anonymous": LOGIN, "logged-in": 404, "owner": 302, "another owner": 302, "staff": 404},
    ),
    "profiles:account": ("get", {}, {}, LOGGED_IN_200),
    "profiles:message-report": (
        "post",
        {"message_id": "message"},
        {"reason": "rude"},
        {"anonymous": LOGIN, "logged-in": 404, "owner": 302, "another owner": 302, "staff": 404},
    ),
    "profiles:claim-evidence": (
        "post",
        {"claim_id": "claim"},
        {"kind": "link", "url": "https://x.example/"},
        OWNER_AND_STAFF | {"owner": 302, "staff": 403},
    ),
    "profiles:claim-verify": ("get", {"token": "token"}, {}, _logged_in(200)),
    "profiles:claim-orcid": (
        "get",
        {"claim_id": "claim"},
        {},
        OWNER_AND_STAFF | {"owner": 302, "staff": 403},
    ),
    "profiles:claim-release": (
        "post",
        {"claim_id": "claim"},
        {},
        OWNER_AND_STAFF | {"owner": 302, "staff": 403},
    ),
    "profiles:claim-dispute": (
        "post",
        {"claim_id": "claim"},
        {"reason": "not them"},
        _logged_in(302) | {"owner": 403},
    ),
    "profiles:claim-decide": (
        "post",
        {"claim_id": "claim"},
        {"action": "revoke", "reason": "a test"},
        OWNER_AND_STAFF | {"owner": 403, "staff": 302},
    ),
    "profiles:claim-review": ("get", {}, {}, OWNER_AND_STAFF | {"owner": 403, "staff": 200}),
    "profiles:reports": ("get", {}, {}, OWNER_AND_STAFF | {"owner": 403, "staff": 200}),
    "profiles:report-resolve": (
        "post",
        {"report_id": "report"},
        {"action": "dismiss"},
        OWNER_AND_STAFF | {"owner": 403, "staff": 302},
    ),
    "works:detail": ("get", {"openalex_id": "work"}, {}, EVERYONE_200),
    "works:topic": ("get", {"openalex_id": "topic"}, {}, EVERYONE_200),
    "works:institution": ("get", {"openalex_id": "institution"}, {}, EVERYONE_200),
    "graph:trust-panel": ("get", {"author_id": "record"}, {}, EVERYONE_200),
    "graph:graph-panel": ("get", {"author_id": "record"}, {}, EVERYONE_200),
    "graph:explorer": ("get", {"author_id": "record"}, {}, EVERYONE_200),
    "graph:about-trust": ("get", {}, {}, EVERYONE_200),
    # The read API (bzpeer/api/): public, anonymous, the same answer for everyone.
    "api:authors": ("get", {}, {}, EVERYONE_200),
    "api:author": ("get", {"author_id": "record"}, {}, EVERYONE_200),
    "api:works": ("get", {}, {}, EVERYONE_200),
    "api:work": ("get", {"work_id": "work"}, {}, EVERYONE_200),
    "api:institutions": ("get", {}, {}, EVERYONE_200),
    "api:institution": ("get", {"institution_id": "institution"}, {}, EVERYONE_200),
    "api:topics": ("get", {}, {}, EVERYONE_200),
    "api:topic": ("get", {"topic_id": "topic"}, {}, EVERYONE_200),
    "api:root": ("get", {}, {}, EVERYONE_200),
    # Any other path under /api/ (OpenAlex's sources, funders, ...): a JSON 404.
    "api:not-found": ("get", {"rest": "sources"}, {}, dict.fromkeys(PERSONAS, 404)),
    "notices:list": ("get", {}, {}, LOGGED_IN_200),
    # Each person's control over their data: only the owner hides their page (staff neither).
    "profiles:page-hide": ("post", {"author_id": "record"}, {}, _curator(302) | {"staff": 403}),
    "profiles:page-unhide": ("post", {"author_id": "record"}, {}, _curator(302) | {"staff": 403}),
    "profiles:account-data": ("get", {}, {}, LOGGED_IN_200),
    "profiles:account-data-download": ("get", {}, {}, LOGGED_IN_200),
    "profiles:account-delete": ("get", {}, {}, LOGGED_IN_200),
    "profiles:robots-txt": ("get", {}, {}, EVERYONE_200),
    "profiles:sitemap": ("get", {}, {}, EVERYONE_200),
    "profiles:sitemap-section": ("get", {"section": "sitemap_section"}, {}, EVERYONE_200),
}


def _routes(resolver: URLResolver, namespace: str | None = None) -> list[str]:
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            # Django's admin and allauth's accounts have their own permission models.
            if pattern.namespace == "admin" or str(pattern.pattern).startswith("accounts/"):
                continue
            names += _routes(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_route_of_our_apps_has_its_row():
    routes = set(_routes(get_resolver()))
    assert routes - set(TABLE) == set(), "add these routes to TABLE"
    assert set(TABLE) - routes == set(), "these rows name no route"


@pytest.fixture
def world():
    """A record owned through an active claim and open to invitations, with a work, a topic,
    an institution, a "Not me" correction and a merge staff made; another owner's record, of
    which the owner asked for a work; an unclaimed record's authorship the owner may take; an
    invite from the outsider to the owner; a conversation with a message between the other
    owner and the owner."""
    uw = make_institution(display_name="University of Washington")
    topic = make_topic()
    record = make_author(
        display_name="Mitchell Wortsman", orcid="0000-0002-1825-0097", last_known_institutions=[uw]
    )
    unclaimed = make_author(display_name="M. Wortsman")
    work = make_work(authors=[(record, [uw]), unclaimed], topics=[topic])
    elsewhere = make_work(authors=[unclaimed])
    mistaken = make_work(authors=[record])
    staff = make_user(email="staff@bzpeer.example", is_staff=True)
    owner, outsider, other_owner = (
        make_user(email="owner@uw.edu"),
        make_user(email="outsider@example.org"),
        make_user(email="other@example.org"),
    )
    claim = claim_approve(
        claim=claim_request(user=owner, author=record), moderator=staff, reason=""
    )
    other_record = make_author(display_name="Someone Else")
    claim_approve(
        claim=claim_request(user=other_owner, author=other_record), moderator=staff, reason=""
    )
    theirs = make_work(authors=[other_record])
    owner_profile_update(
        author=record,
        user=owner,
        summary="",
        open_to_collaborate=True,
        shown_institution_id=None,
    )
    override = owner_work_exclude(author=record, work=mistaken, user=owner, reason="not mine")
    transfer = owner_work_include(author=record, authorship=theirs.authorships.get(), user=owner)
    merge = author_merge_duplicate(into=record, duplicate=make_author(), user=staff)
    message = "I would like to work with you on robustness."
    invite = invite_create(
        sender=outsider, author=record, focus_kind="subject", subject="Robustness", message=message
    )
    accepted = invite_create(
        sender=other_owner, author=record, focus_kind="subject", subject="Soups", message=message
    )
    conversation = invite_accept(invite=accepted, user=owner)
    sent = message_send(conversation=conversation, sender=other_owner, body="Hello there")
    notification_create(user=owner, kind="message", text="A message", url="/")
    # Reported by the owner: an invite of staff's own, so staff read no other invite for it.
    reported = invite_create(
        sender=staff, author=record, focus_kind="subject", subject="Spam", message=message
    )
    report = report_create(reporter=owner, reason="spam", invite=reported)
    users = {
        "logged-in": outsider,
        "owner": owner,
        "another owner": other_owner,
        "staff": staff,
    }
    args = {
        "record": record.openalex_id,
        "orcid_url": "orcid.org/0000-0002-1825-0097",
        "work": work.openalex_id,
        "topic": topic.openalex_id,
        "institution": uw.openalex_id,
        "override": override.pk,
        "unclaimed_authorship": elsewhere.authorships.get().pk,
        "invite": invite.pk,
        "conversation": conversation.pk,
        "message": sent.pk,
        "claim": claim.pk,
        "merge": merge.pk,
        "report": report.pk,
        "transfer": transfer.pk,
        "token": "not-a-real-token",
        "sources": "sources/S1",
        "sitemap_section": "works",
    }
    return users, args


CASES = [(route, persona) for route in TABLE for persona in PERSONAS]


@pytest.mark.parametrize(("route", "persona"), CASES, ids=[f"{r}-{p}" for r, p in CASES])
def test_who_may_use_the_route(client, world, route, persona):
    users, args = world
    method, path_args, data, expected = TABLE[route]
    if persona != "anonymous":
        client.force_login(users[persona])
    url = reverse(route, kwargs={name: args[key] for name, key in path_args.items()})
    response = getattr(client, method)(url, data)
    if expected[persona] == LOGIN:
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    else:
        assert response.status_code == expected[persona], response.content[:300]
