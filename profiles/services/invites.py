"""Writes for collaboration: invites, their answers, messages, blocks and reports. The rules
of who may invite whom live here; the database holds what must not happen even at once (one
pending invite per pair, never to oneself)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from bzpeer.errors import ActionError
from bzpeer.mail import absolute_url, mail_on_commit
from notices.models import Notification
from notices.services import notification_create
from profiles.models import (
    INVITE_MESSAGE_MAX,
    INVITE_MESSAGE_MIN,
    INVITE_SUBJECT_MAX,
    MESSAGE_BODY_MAX,
    Block,
    Conversation,
    Invite,
    Message,
    Report,
)
from profiles.selectors.claims import user_has_verified_email
from profiles.selectors.identity import PersonCard, person_card_get
from profiles.selectors.invites import invite_recipient_get
from profiles.services.limits import daily_limit_reached
from works.models import Author, Topic, Work


class InviteError(ActionError):
    """An invite action that cannot happen; the message is shown to the person as it is."""


def _is_blocked(*, blocker_id: int, blocked_id: int) -> bool:
    return Block.objects.filter(blocker_id=blocker_id, blocked_id=blocked_id).exists()


def _focus(
    *, author: Author, kind: str, topic_id: int | None, work_id: int | None, subject: str
) -> tuple[Topic | None, Work | None, str]:
    # The focus must be one of the recipient's own topics or works, or a short subject.
    if kind == Invite.Focus.TOPIC:
        topic = Topic.objects.filter(pk=topic_id, work_topics__work__authorships__author=author)
        topic = topic.first()
        if topic is None:
            raise InviteError("Choose one of their topics.")
        return topic, None, topic.display_name
    if kind == Invite.Focus.WORK:
        work = Work.objects.filter(pk=work_id, authorships__author=author).first()
        if work is None:
            raise InviteError("Choose one of their works.")
        return None, work, work.title or work.openalex_id
    subject = subject.strip()
    if kind != Invite.Focus.SUBJECT or not subject:
        raise InviteError("Name the focus of the invitation.")
    if len(subject) > INVITE_SUBJECT_MAX:
        raise InviteError(f"Keep the subject under {INVITE_SUBJECT_MAX} characters.")
    return None, None, subject


def _introduced(card: PersonCard) -> str:
    """A person as a stranger reads them in a notification or an email: their name and, if
    they own a proven record, that record and its level. Never an email address."""
    if card.record_name:
        return f"{card.name} (researcher {card.record_name}, L{card.level})"
    return card.name


def invite_create(
    *,
    sender: AbstractBaseUser,
    author: Author,
    focus_kind: str,
    message: str,
    topic_id: int | None = None,
    work_id: int | None = None,
    subject: str = "",
) -> Invite:
    """An invite from `sender` to the owner of `author`'s record, who is told by notification
    and email. Raises InviteError when a rule forbids it."""
    recipient = invite_recipient_get(author=author)
    if recipient is None:
        raise InviteError("This researcher is not taking invitations.")
    if recipient.pk == sender.pk:
        raise InviteError("This is your own record.")
    if not user_has_verified_email(user=sender):
        raise InviteError("Verify your email address before sending invitations.")
    message = message.strip()
    if not INVITE_MESSAGE_MIN <= len(message) <= INVITE_MESSAGE_MAX:
        raise InviteError(
            f"Write a message of {INVITE_MESSAGE_MIN} to {INVITE_MESSAGE_MAX} characters."
        )
    topic, work, focus = _focus(
        author=author, kind=focus_kind, topic_id=topic_id, work_id=work_id, subject=subject
    )
    with transaction.atomic():
        if daily_limit_reached(
            user=sender, done=Invite.objects.filter(sender=sender), limit=settings.INVITES_PER_DAY
        ):
            raise InviteError("You have sent as many invitations as allowed today.")
        if _is_blocked(blocker_id=recipient.pk, blocked_id=sender.pk):
            raise InviteError("This researcher is not taking invitations from you.")
        invite = Invite(
            sender=sender,
            recipient=recipient,
            author=author,
            focus_kind=focus_kind,
            focus_topic=topic,
            focus_work=work,
            focus=focus[:300],
            message=message,
        )
        invite.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                invite.save()
        except IntegrityError:
            raise InviteError(
                "You already have an invitation waiting for this researcher's answer."
            ) from None
        url = invite.get_absolute_url()
        card = person_card_get(user_id=sender.pk)
        notification_create(
            user=recipient,
            kind=Notification.Kind.INVITE_RECEIVED,
            text=f"{_introduced(card)} invites you to collaborate on “{invite.focus}”",
            url=url,
        )
        record = (
            f"Their researcher page: {absolute_url(card.record_url)}\n" if card.record_url else ""
        )
        mail_on_commit(
            to=[recipient.email],
            subject=f"{card.name} invites you to collaborate",
            body=(
                f"{_introduced(card)} invites you to collaborate on “{invite.focus}”.\n"
                f"{record}\n{message}\n\nAccept or decline: {absolute_url(url)}"
            ),
        )
    return invite


def _locked_pending(invite: Invite) -> Invite:
    fresh = Invite.objects.select_for_update().get(pk=invite.pk)
    if fresh.status != Invite.Status.PENDING:
        raise InviteError("This invitation has already been answered.")
    return fresh


@transaction.atomic
def invite_accept(*, invite: Invite, user: AbstractBaseUser) -> Conversation:
    """The recipient accepts: a conversation between the two opens."""
    invite = _locked_pending(invite)
    if invite.recipient_id != user.pk:
        raise InviteError("Only the person invited can accept.")
    invite.status, invite.decided_at = Invite.Status.ACCEPTED, timezone.now()
    invite.save(update_fields=["status", "decided_at"])
    conversation = Conversation(invite=invite, user_a_id=invite.sender_id, user_b_id=user.pk)
    conversation.full_clean()
    conversation.save()
    url = conversation.get_absolute_url()
    # Their chosen name (or their record's), never their account's email.
    name = person_card_get(user_id=user.pk).name
    notification_create(
        user=invite.sender,
        kind=Notification.Kind.INVITE_ACCEPTED,
        text=f"{name} accepted your invitation on “{invite.focus}”",
        url=url,
    )
    mail_on_commit(
        to=[invite.sender.email],
        subject="Your invitation was accepted",
        body=f"{name} accepted. Talk here: {absolute_url(url)}",
    )
    return conversation


@transaction.atomic
def invite_decline(*, invite: Invite, user: AbstractBaseUser) -> Invite:
    """The recipient declines, no reason asked; the sender is told."""
    invite = _locked_pending(invite)
    if invite.recipient_id != user.pk:
        raise InviteError("Only the person invited can decline.")
    invite.status, invite.decided_at = Invite.Status.DECLINED, timezone.now()
    invite.save(update_fields=["status", "decided_at"])
    notification_create(
        user=invite.sender,
        kind=Notification.Kind.INVITE_DECLINED,
        text=f"Your invitation on “{invite.focus}” was declined",
        url=invite.get_absolute_url(),
    )
    return invite


@transaction.atomic
def message_send(*, conversation: Conversation, sender: AbstractBaseUser, body: str) -> Message:
    if not conversation.has_party(sender.pk):
        raise InviteError("You are not part of this conversation.")
    sender_is_a = sender.pk == conversation.user_a_id
    other_id = conversation.user_b_id if sender_is_a else conversation.user_a_id
    if _is_blocked(blocker_id=other_id, blocked_id=sender.pk):
        raise InviteError("This person no longer takes messages from you.")
    body = body.strip()
    if not body or len(body) > MESSAGE_BODY_MAX:
        raise InviteError(f"Write a message of 1 to {MESSAGE_BODY_MAX} characters.")
    message = Message(conversation=conversation, sender=sender, body=body)
    message.full_clean()
    message.save()
    # The sender has read the thread up to what they answered.
    conversation.last_message_at = message.created_at
    read_field = "user_a_read_id" if sender_is_a else "user_b_read_id"
    setattr(conversation, read_field, message.pk)
    conversation.save(update_fields=["last_message_at", read_field])
    notification_create(
        user=conversation.user_b if sender_is_a else conversation.user_a,
        kind=Notification.Kind.MESSAGE,
        text=f"New message from {person_card_get(user_id=sender.pk).name}",
        url=conversation.get_absolute_url(),
    )
    return message


def conversation_mark_read(
    *, conversation: Conversation, user: AbstractBaseUser, up_to: int
) -> bool:
    """`user` has had the thread on screen up to message `up_to`: their marker moves there
    (never back: a conditional UPDATE, so an older page polling late changes nothing).
    Whether it moved. Staff reading a reported thread are no party and mark nothing."""
    if not conversation.has_party(user.pk) or up_to <= 0:
        return False
    field = "user_a_read_id" if user.pk == conversation.user_a_id else "user_b_read_id"
    moved = Conversation.objects.filter(pk=conversation.pk, **{f"{field}__lt": up_to}).update(
        **{field: up_to}
    )
    if moved:
        setattr(conversation, field, up_to)
    return bool(moved)


@transaction.atomic
def block_create(*, blocker: AbstractBaseUser, blocked_id: int) -> Block:
    """No further invites or messages from `blocked_id`; their pending invites are declined
    quietly."""
    if blocker.pk == blocked_id:
        raise InviteError("You cannot block yourself.")
    block, _ = Block.objects.get_or_create(blocker=blocker, blocked_id=blocked_id)
    Invite.objects.filter(
        sender_id=blocked_id, recipient=blocker, status=Invite.Status.PENDING
    ).update(status=Invite.Status.DECLINED, decided_at=timezone.now())
    return block


@transaction.atomic
def report_create(
    *,
    reporter: AbstractBaseUser,
    reason: str,
    invite: Invite | None = None,
    message: Message | None = None,
) -> Report:
    """The recipient of an invite, or the receiving party of a message, tells staff; staff may
    then read that invite or conversation. Every staff address gets an email."""
    if invite is not None and invite.recipient_id != reporter.pk:
        raise InviteError("Only the person invited can report an invitation.")
    if message is not None and (
        message.sender_id == reporter.pk or not message.conversation.has_party(reporter.pk)
    ):
        raise InviteError("Only the person a message was sent to can report it.")
    # Every report mails every staff member: a few a day per account is plenty.
    if daily_limit_reached(
        user=reporter, done=Report.objects.filter(reporter=reporter), limit=settings.REPORTS_PER_DAY
    ):
        raise InviteError("You have sent as many reports as allowed today; staff will read them.")
    report = Report(reporter=reporter, invite=invite, message=message, reason=reason[:2000])
    report.full_clean()
    report.save()
    where = invite.get_absolute_url() if invite else message.conversation.get_absolute_url()
    staff = get_user_model().objects.filter(is_staff=True, is_active=True)
    mail_on_commit(
        to=list(staff.values_list("email", flat=True)),
        subject="A report to review",
        body=(
            f"{person_card_get(user_id=reporter.pk).name} (account #{reporter.pk}) reported: "
            f"{reason or '(no reason given)'}\n\n{absolute_url(where)}"
        ),
    )
    return report
