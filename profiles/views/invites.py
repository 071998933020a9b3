"""Collaboration: the invite form, the inbox, an invite and its answers, the conversation
thread. Guessing ids gets nothing: _get_invite_for_user and _get_conversation_for_user answer
404 to anyone who is not a party (staff read only what was reported to them)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from bzpeer.actions import act
from bzpeer.htmx import HtmxHttpRequest, wants_fragment
from notices.services import notification_mark_read_for_url
from profiles.forms import InviteForm, MessageForm, ReportForm
from profiles.models import Conversation, Invite
from profiles.selectors.claims import user_has_verified_email
from profiles.selectors.identity import person_cards_get
from profiles.selectors.invites import (
    conversation_get,
    inbox_get,
    invite_fit_get,
    invite_focus_options,
    invite_get,
    invite_recipient_get,
    message_get,
    thread_get,
)
from profiles.selectors.researcher import author_brief_get_or_404
from profiles.services.invites import (
    InviteError,
    block_create,
    conversation_mark_read,
    invite_accept,
    invite_create,
    invite_decline,
    message_send,
    report_create,
)


def _get_invite_for_user(request: HttpRequest, invite_id: int, *, role: str = "party") -> Invite:
    """The invite if this visitor may see it: its sender or recipient, or staff once it was
    reported. `role="recipient"` for the recipient's actions (403 for the sender and staff)."""
    invite = invite_get(invite_id=invite_id)
    user = request.user
    if invite is None:
        raise Http404("No such invitation.")
    is_party = user.pk in (invite.sender_id, invite.recipient_id)
    if not is_party and not (user.is_staff and invite.is_reported):
        raise Http404("No such invitation.")
    if role == "recipient" and invite.recipient_id != user.pk:
        raise PermissionDenied
    return invite


def _get_conversation_for_user(
    request: HttpRequest, conversation_id: int, *, role: str = "reader"
) -> Conversation:
    """The conversation for its two parties, and for staff once something in it was reported
    (to read; `role="party"` for writing)."""
    conversation = conversation_get(conversation_id=conversation_id)
    if conversation is None:
        raise Http404("No such conversation.")
    is_party = conversation.has_party(request.user.pk)
    if not is_party and not (request.user.is_staff and conversation.is_reported):
        raise Http404("No such conversation.")
    if role == "party" and not is_party:
        raise PermissionDenied
    return conversation


@require_http_methods(["GET", "POST"])
@login_required
def invite_new(request: HttpRequest, author_id: str) -> HttpResponse:
    author = author_brief_get_or_404(openalex_id=author_id)
    recipient = invite_recipient_get(author=author)
    topics, works = invite_focus_options(author=author)
    form = InviteForm(request.POST or None, topics=topics, works=works)
    if request.method == "POST" and recipient is not None and form.is_valid():
        data = form.cleaned_data
        try:
            invite = invite_create(
                sender=request.user,
                author=author,
                focus_kind=data["focus_kind"],
                topic_id=data["topic"],
                work_id=data["work"],
                subject=data["subject"],
                message=data["message"],
            )
        except InviteError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your invitation is on its way.")
            return redirect(invite)
    context = {
        "author": author,
        "form": form,
        "recipient": recipient,
        "is_self": recipient is not None and recipient.pk == request.user.pk,
        "verified": user_has_verified_email(user=request.user),
    }
    return render(request, "profiles/invite_new.html", context)


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "profiles/inbox.html", {"inbox": inbox_get(user=request.user)})


@require_GET
@login_required
def invite_detail(request: HttpRequest, invite_id: int) -> HttpResponse:
    invite = _get_invite_for_user(request, invite_id)
    notification_mark_read_for_url(user=request.user, url=invite.get_absolute_url())
    cards = person_cards_get(user_ids=[invite.sender_id, invite.recipient_id])
    sender = cards[invite.sender_id]
    context = {
        "invite": invite,
        "sender": sender,
        "recipient": cards[invite.recipient_id],
        "is_recipient": invite.recipient_id == request.user.pk,
        "fit": invite_fit_get(sender_record_id=sender.record_id, author=invite.author),
        "report_form": ReportForm(),
    }
    return render(request, "profiles/invite_detail.html", context)


@require_POST
@login_required
def invite_accept_view(request: HttpRequest, invite_id: int) -> HttpResponse:
    invite = _get_invite_for_user(request, invite_id, role="recipient")
    try:
        conversation = invite_accept(invite=invite, user=request.user)
    except InviteError as exc:
        messages.error(request, str(exc))
        return redirect(invite)
    return redirect(conversation)


@require_POST
@login_required
def invite_decline_view(request: HttpRequest, invite_id: int) -> HttpResponse:
    invite = _get_invite_for_user(request, invite_id, role="recipient")
    return act(
        request,
        lambda: invite_decline(invite=invite, user=request.user),
        done="Declined. The sender is told, without a reason.",
        back=invite,
    )


@require_POST
@login_required
def invite_block_view(request: HttpRequest, invite_id: int) -> HttpResponse:
    invite = _get_invite_for_user(request, invite_id, role="recipient")
    return act(
        request,
        lambda: block_create(blocker=request.user, blocked_id=invite.sender_id),
        done="Blocked: no more invitations or messages from them.",
        back=invite,
    )


@require_POST
@login_required
def invite_report_view(request: HttpRequest, invite_id: int) -> HttpResponse:
    invite = _get_invite_for_user(request, invite_id, role="recipient")
    form = ReportForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return act(
        request,
        lambda: report_create(reporter=request.user, invite=invite, reason=reason),
        done="Reported to the moderators. Thank you.",
        back=invite,
    )


def _thread_context(
    request: HttpRequest, conversation: Conversation, *, after_id: int | None = None
) -> dict:
    """The thread as this visitor sees it; a party's last-read marker moves to the newest
    message shown (the other party's page then says "Seen")."""
    thread = thread_get(conversation=conversation, viewer_id=request.user.pk, after_id=after_id)
    conversation_mark_read(conversation=conversation, user=request.user, up_to=thread.last_id)
    is_party = conversation.has_party(request.user.pk)
    other_id = conversation.other_party_id(request.user.pk) if is_party else None
    return {
        "conversation": conversation,
        "thread": thread,
        "is_party": is_party,
        "other": thread.cards.get(other_id),
        "party_a": thread.cards[conversation.user_a_id],
        "party_b": thread.cards[conversation.user_b_id],
    }


def _thread(
    request: HtmxHttpRequest, conversation: Conversation, form: MessageForm, *, status: int = 200
) -> HttpResponse:
    context = _thread_context(request, conversation) | {"form": form}
    template = "profiles/conversation.html"
    if wants_fragment(request):
        template += "#thread"
    return render(request, template, context, status=status)


@require_GET
@login_required
@vary_on_headers("HX-Request")
def conversation_detail(request: HtmxHttpRequest, conversation_id: int) -> HttpResponse:
    conversation = _get_conversation_for_user(request, conversation_id)
    notification_mark_read_for_url(user=request.user, url=conversation.get_absolute_url())
    return _thread(request, conversation, MessageForm())


def _after_id(request: HttpRequest) -> int:
    """?after=: the newest message the page shows; anything but ASCII digits is a 400."""
    after = request.GET.get("after", "0")
    if not (after.isascii() and after.isdigit() and len(after) <= 18):
        raise BadRequest("after must be a message id.")
    return int(after)


@never_cache
@require_GET
@login_required
@vary_on_headers("HX-Request")
def conversation_new(request: HtmxHttpRequest, conversation_id: int) -> HttpResponse:
    """The open thread's poll: only the messages newer than ?after=, appended out of band,
    the "seen" line and the next poll. Without htmx, the thread page."""
    conversation = _get_conversation_for_user(request, conversation_id)
    after_id = _after_id(request)
    if not wants_fragment(request):
        return redirect(f"{conversation.get_absolute_url()}#thread")
    context = _thread_context(request, conversation, after_id=after_id)
    if context["thread"].messages:
        notification_mark_read_for_url(user=request.user, url=conversation.get_absolute_url())
    context["after_id"] = after_id
    return render(request, "profiles/conversation.html#thread-new", context)


@require_POST
@login_required
@vary_on_headers("HX-Request")
def message_create(request: HtmxHttpRequest, conversation_id: int) -> HttpResponse:
    """A new message: htmx gets the thread back (with the new message and an empty form);
    without JavaScript, the page again."""
    conversation = _get_conversation_for_user(request, conversation_id, role="party")
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            message_send(
                conversation=conversation, sender=request.user, body=form.cleaned_data["body"]
            )
        except InviteError as exc:
            form.add_error(None, str(exc))
        else:
            if not wants_fragment(request):
                return redirect(f"{conversation.get_absolute_url()}#thread")
            form = MessageForm()
    return _thread(request, conversation, form, status=200 if not form.errors else 400)


@require_POST
@login_required
def message_report(request: HttpRequest, message_id: int) -> HttpResponse:
    message = message_get(message_id=message_id)
    if message is None or not message.conversation.has_party(request.user.pk):
        raise Http404("No such message.")
    form = ReportForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return act(
        request,
        lambda: report_create(reporter=request.user, message=message, reason=reason),
        done="Reported to the moderators. Thank you.",
        back=message.conversation,
    )
