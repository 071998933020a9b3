"""Each person's control over their data: an owner hides their page (and undoes it), anyone
downloads everything their account holds, and deletes their account."""

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import ForeignKey
from django.urls import reverse

from notices.models import Notification
from profiles.models import (
    Block,
    Claim,
    ClaimEvent,
    Conversation,
    DigestOptIn,
    DigestSent,
    Follow,
    Invite,
    Message,
    OwnerProfile,
    OwnerProfileEdit,
    Person,
    RecordMerge,
    Report,
    WorkTransfer,
)
from profiles.selectors.search import author_search_page
from profiles.selectors.visibility import exclude_hidden, hidden_author_ids
from profiles.services.account_data import EXPORTED, WITHHELD
from profiles.services.account_delete import DELETED_ACCOUNT_NAME, PLAN
from profiles.services.follows import digest_opt_in_set, follow_create
from profiles.services.invites import block_create, invite_accept, message_send, report_create
from profiles.services.owner import owner_profile_update, owner_work_exclude
from profiles.services.visibility import author_page_hide, author_page_unhide
from tests.factories import PASSWORD, make_author, make_user, make_work
from tests.profiles.invite_helpers import make_owned_author, send_invite
from works.models import Author, AuthorshipOverride

pytestmark = pytest.mark.django_db

HIDDEN_SENTENCE = "This researcher asked for their page to be hidden."


def _hide_url(author: Author) -> str:
    return reverse("profiles:page-hide", args=[author.openalex_id])


def _unhide_url(author: Author) -> str:
    return reverse("profiles:page-unhide", args=[author.openalex_id])


# --- hiding a page ---------------------------------------------------------------------------


@pytest.fixture
def owned():
    author, owner = make_owned_author(display_name="Mitchell Wortsman")
    return author, owner


def test_it_hides_the_page_at_once_even_when_cached_and_the_owner_can_undo_it(client, owned):
    author, owner = owned
    page = author.get_absolute_url()
    assert "Mitchell Wortsman" in client.get(page).content.decode()  # now in the cache

    client.force_login(owner)
    assert client.post(_hide_url(author)).status_code == 302
    own = client.get(page).content.decode()
    assert "Mitchell Wortsman" in own and "Show my page again" in own
    client.logout()

    response = client.get(page)
    html = response.content.decode()
    assert response.status_code == 200
    assert HIDDEN_SENTENCE in html
    assert '<meta name="robots" content="noindex">' in html
    assert "Mitchell Wortsman" not in html and "A paper" not in html
    assert "application/ld+json" not in html

    client.force_login(owner)
    assert client.post(_unhide_url(author)).status_code == 302
    client.logout()
    html = client.get(page).content.decode()
    assert "Mitchell Wortsman" in html and HIDDEN_SENTENCE not in html


def test_the_full_lists_of_a_hidden_page_are_hidden_too_but_not_to_the_owner(client, owned):
    author, owner = owned
    author_page_hide(author=author, user=owner)
    for name in ("coauthors", "topics"):
        url = reverse(f"profiles:{name}", args=[author.openalex_id])
        html = client.get(url).content.decode()
        assert HIDDEN_SENTENCE in html and "Mitchell Wortsman" not in html
        client.force_login(owner)
        assert "Mitchell Wortsman" in client.get(url).content.decode()
        client.logout()


def test_others_see_the_hidden_notice_logged_in_too(client, owned):
    author, owner = owned
    author_page_hide(author=author, user=owner)
    client.force_login(make_user())
    assert HIDDEN_SENTENCE in client.get(author.get_absolute_url()).content.decode()


@pytest.mark.parametrize("persona", ["logged-in", "pending claimant", "staff"])
def test_only_the_owner_may_hide_or_unhide(client, persona, log_in_as, record):
    log_in_as(persona, author=record)
    for url in (_hide_url(record), _unhide_url(record)):
        assert client.post(url).status_code == 403
    assert not OwnerProfile.objects.filter(author=record, hidden_at__isnull=False).exists()


def test_anonymous_visitors_are_sent_to_log_in_and_get_is_not_allowed(client, owned):
    author, owner = owned
    assert client.post(_hide_url(author)).status_code == 302
    client.force_login(owner)
    assert client.get(_hide_url(author)).status_code == 405
    assert client.post(reverse("profiles:page-hide", args=["A404404"])).status_code == 404


def test_hidden_pages_are_out_of_search_browse_and_the_home_page(client, owned):
    author, owner = owned
    make_owned_author(display_name="Mitchell Other")
    author_page_hide(author=author, user=owner)

    found = [a.openalex_id for a in author_search_page(query="Mitchell", number=None).page]
    browsed = [a.openalex_id for a in author_search_page(query="", number=None).page]
    assert author.openalex_id not in found and len(found) == 1
    assert author.openalex_id not in browsed and len(browsed) == 1
    assert author.get_absolute_url() not in client.get(reverse("profiles:home")).content.decode()


def test_hiding_and_showing_a_page_changes_kept_searches_at_once(client, owned):
    author, owner = owned
    search = reverse("profiles:list")
    url = author.get_absolute_url()
    assert url in client.get(search, {"q": "Mitchell"}).content.decode()
    assert url in client.get(reverse("profiles:home")).content.decode()  # both kept now

    author_page_hide(author=author, user=owner)
    assert url not in client.get(search, {"q": "Mitchell"}).content.decode()
    assert url not in client.get(reverse("profiles:home")).content.decode()

    author_page_unhide(author=author, user=owner)
    assert url in client.get(search, {"q": "Mitchell"}).content.decode()


def test_the_visibility_selectors_work_as_subqueries(owned):
    author, owner = owned
    other = make_author()
    author_page_hide(author=author, user=owner)
    assert set(Author.objects.filter(pk__in=hidden_author_ids())) == {author}
    assert set(exclude_hidden(Author.objects.filter(pk__in=[author.pk, other.pk]))) == {other}
    follows = Follow.objects.filter(author__in=[author, other])
    follow_create(user=make_user(), author=author)
    follow_create(user=make_user(), author=other)
    assert [f.author_id for f in exclude_hidden(follows, field="author_id")] == [other.pk]


# --- every model holding a user is placed ------------------------------------------------------


def _user_foreign_keys() -> set[str]:
    user_label = settings.AUTH_USER_MODEL
    return {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, ForeignKey) and field.related_model._meta.label == user_label
    }


def test_every_foreign_key_to_the_user_is_in_the_export_or_withheld_with_a_reason():
    missing = _user_foreign_keys() - EXPORTED - set(WITHHELD)
    assert missing == set(), "add these to profiles.services.account_data"


def test_every_foreign_key_to_the_user_has_a_place_in_the_deletion_plan():
    missing = _user_foreign_keys() - set(PLAN)
    assert missing == set(), "add these to profiles.services.account_delete.PLAN"


# --- a user holding every kind of data ---------------------------------------------------------


@pytest.fixture
def everything(client):
    """`me`, who owns a record and holds one of every kind of row, and the people around."""
    me = make_user(email="me@example.org")
    mine, _ = make_owned_author(owner=me, display_name="Me Myself")
    Person.objects.create(user=me, display_name="Mitch")
    SocialAccount.objects.create(user=me, provider="orcid", uid="0000-0002-1825-0097")
    owner_profile_update(
        author=mine,
        user=me,
        summary="Robustness",
        open_to_collaborate=True,
        shown_institution_id=None,
    )
    author_page_hide(author=mine, user=me)
    friend_record, friend = make_owned_author(display_name="A Friend")
    stranger_record, stranger = make_owned_author(display_name="A Stranger")
    pest = make_user()
    follow_create(user=me, author=friend_record)
    digest_opt_in_set(user=me, enabled=True)
    DigestSent.objects.create(user=me, work=make_work(authors=[friend_record]))
    accepted = send_invite(sender=me, author=friend_record)
    conversation = invite_accept(invite=accepted, user=friend)
    message_send(conversation=conversation, sender=me, body="Hello from me, the leaver.")
    theirs = message_send(conversation=conversation, sender=friend, body="Hello back.")
    report_create(reporter=me, reason="rude", message=theirs)
    pending_out = send_invite(sender=me, author=stranger_record)
    pending_in = send_invite(sender=stranger, author=mine)
    block_create(blocker=me, blocked_id=pest.pk)
    Block.objects.create(blocker=pest, blocked=me)
    owner_work_exclude(author=mine, work=make_work(authors=[mine]), user=me, reason="not me")
    WorkTransfer.objects.create(
        work=make_work(authors=[friend_record]),
        from_author=friend_record,
        to_author=mine,
        requested_by=me,
    )
    RecordMerge.objects.create(
        into=mine, duplicate_openalex_id="A9999", duplicate_name="Me Too", merged_by=me
    )
    LogEntry.objects.create(
        user=me,
        content_type=ContentType.objects.get_for_model(Author),
        object_id=str(mine.pk),
        object_repr="Me Myself",
        action_flag=ADDITION,
    )
    client.login(username="me@example.org", password=PASSWORD)  # a real session row
    return {
        "me": me,
        "mine": mine,
        "friend": friend,
        "conversation": conversation,
        "pending": [pending_out.pk, pending_in.pk],
    }


def test_download_my_data_is_a_json_attachment_of_everything(client, everything):
    me = everything["me"]
    client.force_login(me)
    assert (
        reverse("profiles:account-data-download")
        in client.get(reverse("profiles:account-data")).content.decode()
    )

    response = client.get(reverse("profiles:account-data-download"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="bzpeer-data-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "me@example.org"
    assert data["account"]["display_name"] == "Mitch"
    assert [e["email"] for e in data["emails"]] == ["me@example.org"]
    assert data["social_accounts"][0]["uid"] == "0000-0002-1825-0097"
    (claim,) = data["claims"]
    assert claim["record"] == everything["mine"].openalex_id
    assert [e["kind"] for e in claim["events"]] == ["requested", "approved"]
    assert [e["after"]["summary"] for e in data["owner_profile_edits"]] == ["", "Robustness"]
    assert data["owner_profiles_updated"][0]["hidden_at"] is not None
    assert len(data["follows"]) == 1 and data["digest"]["opted_in"]
    assert len(data["digest"]["works_sent"]) == 1
    assert len(data["invites_sent"]) == 2 and len(data["invites_received"]) == 1
    (conversation,) = data["conversations"]
    assert [m["body"] for m in conversation["messages"]] == [
        "Hello from me, the leaver.",
        "Hello back.",
    ]
    assert data["notifications"]
    assert len(data["blocks"]) == 1
    assert data["reports_filed"][0]["reason"] == "rude"
    assert data["authorship_corrections"][0]["reason"] == "not me"
    assert data["work_transfers"][0]["status"] == "pending"
    assert data["record_merges"][0]["duplicate_name"] == "Me Too"
    assert data["admin_actions"][0]["object_repr"] == "Me Myself"
    # Never a secret: the password hash, tokens, claim nonces.
    assert "pbkdf2" not in response.content.decode() and "nonce" not in response.content.decode()


def test_download_and_delete_need_an_account(client):
    for name in ("account-data", "account-data-download", "account-delete"):
        response = client.get(reverse(f"profiles:{name}"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_delete_asks_for_the_word_or_the_password_and_does_nothing_otherwise(client, everything):
    me = everything["me"]
    client.force_login(me)
    url = reverse("profiles:account-delete")
    assert "Type DELETE or your password" in client.get(url).content.decode()

    for wrong in ("", "delete please", "wrong password"):
        assert client.post(url, {"confirm": wrong}).status_code == 400
    me.refresh_from_db()
    assert me.is_active and me.email == "me@example.org"


@pytest.mark.parametrize("confirm", ["DELETE", PASSWORD])
def test_delete_my_account_leaves_only_what_others_hold(client, everything, confirm):
    me, friend = everything["me"], everything["friend"]
    client.force_login(me)
    messages_before = Message.objects.count()

    response = client.post(reverse("profiles:account-delete"), {"confirm": confirm})

    assert response.status_code == 302 and response["Location"] == reverse("profiles:home")
    assert "_auth_user_id" not in client.session
    me = get_user_model().objects.get(pk=me.pk)
    assert not me.is_active and not me.has_usable_password()
    assert me.email == "" and me.username == f"deleted-{me.pk}"
    # Claims released, with their audit event; the record and its (hidden) page stay.
    claim = Claim.objects.get(user=me)
    assert claim.status == Claim.Status.RELEASED and claim.evidence_email == ""
    assert ClaimEvent.objects.filter(claim=claim, kind="released", actor=me).exists()
    assert Author.objects.filter(pk=everything["mine"].pk).exists()
    assert OwnerProfile.objects.get(author=everything["mine"]).hidden_at is not None
    # Pending invites withdrawn; the conversation and both sides' messages kept.
    assert not Invite.objects.filter(pk__in=everything["pending"]).exists()
    assert Conversation.objects.filter(pk=everything["conversation"].pk).exists()
    assert Message.objects.count() == messages_before
    assert not WorkTransfer.objects.filter(requested_by=me).exists()
    # Nothing else left of theirs.
    for rows in (
        EmailAddress.objects.filter(user=me),
        SocialAccount.objects.filter(user=me),
        Follow.objects.filter(user=me),
        DigestOptIn.objects.filter(user=me),
        DigestSent.objects.filter(user=me),
        Notification.objects.filter(user=me),
        Block.objects.filter(blocker=me),
        Block.objects.filter(blocked=me),
        Report.objects.filter(reporter=me),
    ):
        assert not rows.exists(), rows.model
    assert list(Person.objects.filter(user=me).values_list("display_name", flat=True)) == [
        DELETED_ACCOUNT_NAME
    ]
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(me.pk) for s in Session.objects.all()
    )
    # Kept rows are only those the plan keeps.
    assert OwnerProfileEdit.objects.filter(edited_by=me).exists()
    assert AuthorshipOverride.objects.filter(created_by=me).exists()
    # The other party still reads the conversation, from "a deleted account".
    client.force_login(friend)
    html = client.get(everything["conversation"].get_absolute_url()).content.decode()
    assert "Hello from me, the leaver." in html and DELETED_ACCOUNT_NAME in html
    # And the account cannot sign in again.
    client.logout()
    assert not client.login(username="me@example.org", password=PASSWORD)
