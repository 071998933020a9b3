"""People, not email addresses: a name chosen at sign-up (editable on the account page), the
fallback for accounts without one, the proven record shown next to it, the header, and no
page, notification or email that shows one person another's address."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from profiles.models import Person
from profiles.selectors.identity import person_card_get
from profiles.services.accounts import person_set_display_name
from profiles.services.claims import claim_request
from profiles.services.invites import invite_accept, message_send, report_create
from tests.factories import PASSWORD, make_author, make_topic, make_user, make_work
from tests.profiles.invite_helpers import make_owned_author, send_invite

pytestmark = pytest.mark.django_db


def _signup(client, **data: str):
    form = {"email": "nadia@example.org", "password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("account_signup"), form | data)


def test_it_asks_for_a_name_at_sign_up_and_keeps_it(client):
    response = _signup(client, display_name="  Nadia   Newcomer ")
    assert response.status_code == 302
    user = get_user_model().objects.get(email="nadia@example.org")
    assert Person.objects.get(user=user).display_name == "Nadia Newcomer"


@pytest.mark.parametrize("name", ["", "N", "nadia@example.org", "x" * 61])
def test_it_refuses_a_sign_up_without_a_usable_name(client, name):
    response = _signup(client, display_name=name)
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="nadia@example.org").exists()


def test_the_sign_up_page_shows_the_name_field(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert 'name="display_name"' in html
    assert "Your name, as others will see it" in html


def test_it_says_signed_in_as_the_chosen_name(client):
    user = make_user(email="ada@example.org")
    person_set_display_name(user=user, display_name="Ada Lovelace")
    response = client.post(
        reverse("account_login"), {"login": "ada@example.org", "password": PASSWORD}, follow=True
    )
    html = response.content.decode()
    assert "Successfully signed in as Ada Lovelace." in html
    assert "ada@example.org" not in html


def test_it_changes_the_name_on_the_account_page(client):
    user = make_user(email="ada@example.org")
    client.force_login(user)
    assert f"BZPEER member #{user.pk}" in client.get(reverse("profiles:account")).content.decode()

    response = client.post(reverse("profiles:account"), {"display_name": "Ada L."})

    assert response.status_code == 302
    html = client.get(reverse("profiles:account")).content.decode()
    assert 'value="Ada L."' in html
    assert '<summary class="viewer-name" title="Your account">Ada L.</summary>' in html


@pytest.mark.parametrize("name", ["", "ada@example.org"])
def test_it_refuses_a_bad_name_on_the_account_page_with_a_400(client, name):
    client.force_login(make_user())
    response = client.post(reverse("profiles:account"), {"display_name": name})
    assert response.status_code == 400
    assert not Person.objects.exists()


def test_an_account_without_a_name_is_shown_by_its_proven_record_else_a_number():
    author, owner = make_owned_author(display_name="Mitchell Wortsman")
    nobody = make_user(email="nobody@example.org")
    pending = make_user()
    claim_request(user=pending, author=make_author(display_name="Not Proven Yet"))

    assert person_card_get(user_id=owner.pk).name == "Mitchell Wortsman"
    assert person_card_get(user_id=owner.pk).record_id == author.openalex_id
    assert person_card_get(user_id=owner.pk).level == 4  # approved by a moderator
    assert person_card_get(user_id=nobody.pk).name == f"BZPEER member #{nobody.pk}"
    # A pending claim proves nothing: its record's name is not theirs to borrow.
    assert person_card_get(user_id=pending.pk).name == f"BZPEER member #{pending.pk}"
    assert person_card_get(user_id=pending.pk).record_id is None


# --- the header ---------------------------------------------------------------------------


def test_the_header_names_the_owner_and_links_their_page(client):
    author, owner = make_owned_author(display_name="Mitchell Wortsman")
    person_set_display_name(user=owner, display_name="Mitch")
    client.force_login(owner)
    html = client.get(reverse("profiles:home")).content.decode()
    assert ">Mitch</summary>" in html
    assert f'<a href="{author.get_absolute_url()}">My researcher page</a>' in html
    assert owner.email not in html


def test_the_header_links_a_pending_claim(client):
    user = make_user()
    author = make_author()
    claim_request(user=user, author=author)
    client.force_login(user)
    html = client.get(reverse("profiles:home")).content.decode()
    assert f'<a href="{author.get_absolute_url()}#claim">My claim</a>' in html
    assert "My researcher page" not in html


def test_the_header_gives_staff_the_queues(client):
    client.force_login(make_user(is_staff=True))
    html = client.get(reverse("profiles:home")).content.decode()
    assert f'href="{reverse("profiles:claim-review")}">Claims queue</a>' in html
    assert f'href="{reverse("profiles:reports")}">Reports queue</a>' in html


def test_the_header_counts_what_waits_in_the_inbox(client):
    author, owner = make_owned_author()
    sender = make_user()
    invite = send_invite(sender=sender, author=author)
    client.force_login(owner)
    assert 'title="1 waiting"' in client.get(reverse("profiles:home")).content.decode()

    conversation = invite_accept(invite=invite, user=owner)
    message_send(conversation=conversation, sender=sender, body="Hello")
    # The invitation is answered; the message is unread.
    assert 'title="1 waiting"' in client.get(reverse("profiles:home")).content.decode()
    client.get(conversation.get_absolute_url())
    assert "waiting" not in client.get(reverse("profiles:home")).content.decode()


# --- never an email address to another person ---------------------------------------------


def test_no_page_mail_or_notification_shows_one_party_the_others_email(
    client, django_capture_on_commit_callbacks
):
    author, owner = make_owned_author(display_name="Mitchell Wortsman")
    sender = make_user(email="secret.sender@example.org")
    person_set_display_name(user=sender, display_name="Sam Sender")
    with django_capture_on_commit_callbacks(execute=True):
        invite = send_invite(sender=sender, author=author)
        conversation = invite_accept(invite=invite, user=owner)
    message_send(conversation=conversation, sender=sender, body="Hello from Sam")
    message = message_send(conversation=conversation, sender=owner, body="Hello from Mitchell")
    make_user(email="mod@example.org", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        report_create(reporter=sender, message=message, reason="testing")

    poll = reverse("profiles:conversation-new", args=[conversation.pk])
    for viewer, other in ((owner, sender), (sender, owner)):
        client.force_login(viewer)
        pages = {
            url: client.get(url, **headers).content.decode()
            for url, headers in [
                (reverse("profiles:inbox"), {}),
                (invite.get_absolute_url(), {}),
                (conversation.get_absolute_url(), {}),
                (f"{poll}?after=0", {"HTTP_HX_REQUEST": "true"}),
                (reverse("notices:list"), {}),
                (reverse("profiles:home"), {}),
            ]
        }
        mails = [m.body + m.subject for m in mail.outbox if viewer.email in m.to]
        for where, text in [*pages.items(), *enumerate(mails)]:
            assert other.email not in text, where
            assert "example.org" not in text.replace("mod@example.org", ""), where
    # Staff read the report by name too.
    assert "secret.sender" not in mail.outbox[-1].body
    assert "Sam Sender" in mail.outbox[-1].body


def test_the_invitation_introduces_the_sender(client, django_capture_on_commit_callbacks):
    author, owner = make_owned_author(display_name="Mitchell Wortsman")
    sender_author, sender = make_owned_author(display_name="Ludwig Schmidt")
    person_set_display_name(user=sender, display_name="Ludwig")
    with django_capture_on_commit_callbacks(execute=True):
        invite = send_invite(sender=sender, author=author)

    assert "Ludwig (researcher Ludwig Schmidt, L4) invites you" in mail.outbox[-1].body
    assert sender_author.get_absolute_url() in mail.outbox[-1].body
    client.force_login(owner)
    html = client.get(invite.get_absolute_url()).content.decode()
    assert '<strong class="person-name">Ludwig</strong>' in html
    assert f'<a href="{sender_author.get_absolute_url()}">Ludwig Schmidt</a>' in html
    assert 'title="Reviewed and confirmed by a moderator">L4</span>' in html
    # The sender's trust score, from graph's own panel.
    assert f'hx-get="/researchers/{sender_author.openalex_id}/trust/"' in html


def test_the_invitation_says_why_the_fit_is_right(client):
    author, owner = make_owned_author(display_name="Mitchell Wortsman")
    sender_author, sender = make_owned_author(display_name="Ludwig Schmidt")
    shared = make_topic(display_name="Distribution shift")
    friend = make_author(display_name="Ali Farhadi")
    make_work(authors=[author, friend], topics=[shared])
    make_work(authors=[sender_author, friend], topics=[shared])
    make_work(authors=[author, sender_author])
    invite = send_invite(sender=sender, author=author)
    client.force_login(owner)

    html = client.get(invite.get_absolute_url()).content.decode()

    assert "Why this fit is right" in html
    assert "Distribution shift" in html
    assert "Robustness" in html  # each record's first work (invite_helpers) has it
    assert f'<a href="{friend.get_absolute_url()}">Ali Farhadi</a>' in html
    assert "already share 1 work." in html


def test_the_invitation_of_a_sender_without_a_record_says_so(client):
    author, owner = make_owned_author()
    invite = send_invite(sender=make_user(), author=author)
    client.force_login(owner)
    html = client.get(invite.get_absolute_url()).content.decode()
    assert "has no proven researcher record on BZPEER yet" in html
