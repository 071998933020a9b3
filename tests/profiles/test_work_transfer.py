"""A work on another owner's claimed record: "This is me" asks that owner, who accepts or
declines (or staff decide), both told by notification and email; staff move it at once and
the owner is told. Unclaimed records keep the direct path (test_this_is_mine.py)."""

import pytest
from django.core import mail
from django.urls import reverse

from notices.models import Notification
from profiles.models import WorkTransfer
from profiles.services.claims import claim_approve, claim_request
from tests.factories import make_author, make_user, make_work
from works.models import Authorship, AuthorshipOverride

# Real commits: the emails leave on commit (transaction.on_commit), as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def owner(record, claimant, staff):
    claim_approve(claim=claim_request(user=claimant, author=record), moderator=staff, reason="")
    return claimant


@pytest.fixture
def holder_owner():
    return make_user(email="holder@example.org")


@pytest.fixture
def holder(holder_owner, staff):
    """Another record, claimed and proven by its owner, with the disputed work."""
    holder = make_author(display_name="M. Wortsman")
    make_work(authors=[holder, make_author(display_name="Cara Coauthor")], title="Contested")
    claim_approve(claim=claim_request(user=holder_owner, author=holder), moderator=staff, reason="")
    return holder


def _authorship(holder) -> Authorship:
    return Authorship.objects.get(work__title="Contested", order=0)


def _this_is_me(client, record, holder):
    url = reverse("profiles:work-add-authorship", args=[record.openalex_id, _authorship(holder).pk])
    return client.post(url, follow=True)


def _transfer_url(transfer) -> str:
    return reverse("profiles:work-transfer", args=[transfer.pk])


def _decide(client, transfer, action: str, **kwargs):
    url = reverse("profiles:work-transfer-decide", args=[transfer.pk])
    return client.post(url, {"action": action}, **kwargs)


def test_it_asks_the_other_owner_instead_of_taking_the_work(
    client, record, owner, holder, holder_owner
):
    client.force_login(owner)

    response = _this_is_me(client, record, holder)

    assert "we asked its owner" in response.content.decode()
    assert _authorship(holder).author == holder  # nothing moved
    assert not AuthorshipOverride.objects.exists()
    transfer = WorkTransfer.objects.get()
    assert (transfer.status, transfer.from_author, transfer.to_author, transfer.requested_by) == (
        "pending",
        holder,
        record,
        owner,
    )
    notice = Notification.objects.get(user=holder_owner, url=_transfer_url(transfer))
    assert "Contested" in notice.text
    assert mail.outbox[-1].to == ["holder@example.org"]
    assert f"http://testserver{_transfer_url(transfer)}" in mail.outbox[-1].body


def test_a_pending_claim_of_the_other_record_also_needs_its_claimants_answer(
    client, record, owner, outsider
):
    pending = make_author(display_name="M. Wortsman")
    make_work(authors=[pending], title="Contested")
    claim_request(user=outsider, author=pending)
    client.force_login(owner)

    _this_is_me(client, record, pending)

    assert _authorship(pending).author == pending
    assert WorkTransfer.objects.get().status == "pending"


def test_the_other_owner_accepts_and_the_work_moves(client, record, owner, holder, holder_owner):
    client.force_login(owner)
    _this_is_me(client, record, holder)
    transfer = WorkTransfer.objects.get()
    client.force_login(holder_owner)
    page = client.get(_transfer_url(transfer)).content.decode()
    assert "Contested" in page and "Give the work" in page

    response = _decide(client, transfer, "accept", follow=True)

    assert "now on" in response.content.decode()
    assert _authorship(holder).author == record
    override = AuthorshipOverride.objects.get()
    assert (override.kind, override.author, override.from_author, override.created_by) == (
        "include",
        record,
        holder,
        owner,
    )
    transfer.refresh_from_db()
    assert (transfer.status, transfer.decided_by, transfer.override) == (
        "accepted",
        holder_owner,
        override,
    )
    assert Notification.objects.filter(user=owner, text__contains="accepted").exists()
    assert mail.outbox[-1].to == [owner.email]
    # The owner's page says why the work is there; undo works as for any "This is mine".
    client.force_login(owner)
    assert (
        "On your record because you added it."
        in client.get(record.get_absolute_url()).content.decode()
    )


def test_the_other_owner_declines_and_the_work_stays(client, record, owner, holder, holder_owner):
    client.force_login(owner)
    _this_is_me(client, record, holder)
    transfer = WorkTransfer.objects.get()
    client.force_login(holder_owner)

    _decide(client, transfer, "decline")

    assert _authorship(holder).author == holder
    transfer.refresh_from_db()
    assert transfer.status == "declined"
    assert Notification.objects.filter(user=owner, text__contains="declined").exists()
    assert mail.outbox[-1].to == [owner.email]
    response = _decide(client, transfer, "accept", follow=True)
    assert "already answered" in response.content.decode()
    assert _authorship(holder).author == holder


def test_staff_decide_a_waiting_transfer_from_the_review_page(client, record, owner, holder, staff):
    client.force_login(owner)
    _this_is_me(client, record, holder)
    transfer = WorkTransfer.objects.get()
    client.force_login(staff)
    review = client.get(reverse("profiles:claim-review")).content.decode()
    assert _transfer_url(transfer) in review

    _decide(client, transfer, "accept")

    assert _authorship(holder).author == record
    assert WorkTransfer.objects.get().decided_by == staff


def test_staff_move_a_work_off_a_claimed_record_at_once_and_its_owner_is_told(
    client, record, owner, holder, holder_owner, staff
):
    client.force_login(staff)

    _this_is_me(client, record, holder)

    assert _authorship(holder).author == record
    assert not WorkTransfer.objects.exists()
    assert Notification.objects.filter(user=holder_owner, text__contains="moderator").exists()
    assert mail.outbox[-1].to == ["holder@example.org"]


def test_it_asks_once(client, record, owner, holder):
    client.force_login(owner)
    _this_is_me(client, record, holder)
    response = _this_is_me(client, record, holder)
    assert "already asked" in response.content.decode()
    assert WorkTransfer.objects.count() == 1


def test_the_add_work_page_says_a_claimed_records_owner_decides(client, record, owner, holder):
    client.force_login(owner)
    html = client.get(reverse("profiles:work-add", args=[record.openalex_id]), {"q": "Contested"})
    html = html.content.decode()
    assert "This is me: ask its owner" in html
    assert "This is me" in html  # the unclaimed co-author's authorship: the direct path


@pytest.mark.parametrize(
    "persona,view,decide",
    [("anonymous", 302, 302), ("logged-in", 403, 403), ("requester", 200, 403),
     ("holder", 200, 302), ("staff", 200, 302)],
)  # fmt: skip
def test_only_the_other_owner_and_staff_decide(
    client, record, owner, holder, holder_owner, outsider, staff, persona, view, decide
):
    client.force_login(owner)
    _this_is_me(client, record, holder)
    transfer = WorkTransfer.objects.get()
    client.logout()
    user = {"anonymous": None, "logged-in": outsider, "requester": owner,
            "holder": holder_owner, "staff": staff}[persona]  # fmt: skip
    if user:
        client.force_login(user)
    assert client.get(_transfer_url(transfer)).status_code == view
    assert _decide(client, transfer, "accept").status_code == decide
    assert (_authorship(holder).author == record) == (decide == 302 and user is not None)


def test_an_unknown_transfer_is_404(client, staff):
    client.force_login(staff)
    assert client.get(reverse("profiles:work-transfer", args=[987654])).status_code == 404
    url = reverse("profiles:work-transfer-decide", args=[987654])
    assert client.post(url, {"action": "accept"}).status_code == 404
