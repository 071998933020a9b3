"""Claiming a record: request, prove, release, dispute, and the moderators' decisions. Every
change goes through profiles.services.claims; who may act is decided by _get_claim_for_user."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bzpeer.actions import act, form_error
from profiles.forms import ClaimDecisionForm, ClaimEvidenceForm, ClaimReasonForm
from profiles.models import Claim
from profiles.selectors.claims import claim_get, claim_get_for_viewer, claim_list_for_review
from profiles.selectors.owner import record_merge_list_recent, work_transfer_list_pending
from profiles.selectors.researcher import author_brief_get_or_404
from profiles.services.claims import (
    ClaimError,
    claim_approve,
    claim_dispute,
    claim_evidence_send,
    claim_reject,
    claim_release,
    claim_request,
    claim_revoke,
    claim_verify_email_token,
    claim_verify_orcid,
)
from works.models import Author


def _get_claim_for_user(request: HttpRequest, claim_id: int, *, role: str) -> Claim:
    """The claim if this visitor may act on it as `role` ("owner", "moderator" or
    "disputer"); 404 for a missing claim, 403 for anyone else."""
    claim = claim_get(claim_id=claim_id)
    if claim is None:
        raise Http404("No such claim.")
    user = request.user
    allowed = {
        "owner": claim.user_id == user.pk,
        # Nobody moderates their own claim, staff included.
        "moderator": user.is_staff and claim.user_id != user.pk,
        "disputer": user.is_authenticated and claim.user_id != user.pk,
    }[role]
    if not allowed:
        raise PermissionDenied
    return claim


def _claim_panel(author: Author) -> str:
    return f"{author.get_absolute_url()}#claim"


@require_GET
@login_required
def claim_confirm(request: HttpRequest, author_id: str) -> HttpResponse:
    """What a claim means and what proof it will ask, before it is made: "Claim this record"
    leads here, and only this page's form posts to claim_create, so no stray click claims."""
    author = author_brief_get_or_404(openalex_id=author_id)
    context = {
        "author": author,
        "viewer_claim": claim_get_for_viewer(user=request.user, author=author),
    }
    return render(request, "profiles/claim_confirm.html", context)


@require_POST
@login_required
def claim_create(request: HttpRequest, author_id: str) -> HttpResponse:
    author = author_brief_get_or_404(openalex_id=author_id)
    return act(
        request,
        lambda: claim_request(user=request.user, author=author),
        done="You have claimed this record. Now prove it is yours.",
        back=_claim_panel(author),
    )


@require_POST
@login_required
def claim_evidence(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _get_claim_for_user(request, claim_id, role="owner")
    form = ClaimEvidenceForm(request.POST)
    if not form.is_valid():
        form_error(request, form, "That form was not filled in as expected.")
        return redirect(_claim_panel(claim.author))
    data = form.cleaned_data
    by_email = data["kind"] == Claim.Evidence.INSTITUTIONAL_EMAIL
    return act(
        request,
        lambda: claim_evidence_send(
            claim=claim, user=request.user, kind=data["kind"], email=data["email"], url=data["url"]
        ),
        done=(
            f"We sent a link to {data['email']}: open it to confirm."
            if by_email
            else "Thank you: a moderator will look at the page."
        ),
        back=_claim_panel(claim.author),
    )


@require_http_methods(["GET", "POST"])
@login_required
def claim_verify(request: HttpRequest, token: str) -> HttpResponse:
    # GET only shows a button: mail scanners that open links must not use up the link.
    if request.method == "GET":
        return render(request, "profiles/claim_verify.html", {"token": token})
    try:
        claim = claim_verify_email_token(user=request.user, token=token)
    except ClaimError as exc:
        context = {"token": token, "error": str(exc)}
        return render(request, "profiles/claim_verify.html", context, status=400)
    messages.success(request, "Confirmed: this record is now yours (level 3).")
    return redirect(_claim_panel(claim.author))


@require_GET
@login_required
def claim_orcid(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Where the ORCID sign-in returns: compare the iD ORCID gave with the record's."""
    claim = _get_claim_for_user(request, claim_id, role="owner")
    return act(
        request,
        lambda: claim_verify_orcid(claim=claim, user=request.user),
        done="Confirmed by ORCID: this record is now yours (level 3).",
        back=_claim_panel(claim.author),
    )


@require_POST
@login_required
def claim_release_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _get_claim_for_user(request, claim_id, role="owner")
    return act(
        request,
        lambda: claim_release(claim=claim, user=request.user),
        done="You released this record; it is open to claims again.",
        back=_claim_panel(claim.author),
    )


@require_POST
@login_required
def claim_dispute_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _get_claim_for_user(request, claim_id, role="disputer")
    form = ClaimReasonForm(request.POST)

    def dispute() -> Claim:
        if not form.is_valid():
            raise ClaimError("Say why you think this claim is wrong (2000 characters at most).")
        return claim_dispute(claim=claim, user=request.user, reason=form.cleaned_data["reason"])

    return act(
        request,
        dispute,
        done="Thank you: moderators will review this claim.",
        back=_claim_panel(claim.author),
    )


@require_POST
@login_required
def claim_decide(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _get_claim_for_user(request, claim_id, role="moderator")
    form = ClaimDecisionForm(request.POST)
    if not form.is_valid():
        form_error(request, form, "That form was not filled in as expected.")
        return redirect("profiles:claim-review")
    decide = {"approve": claim_approve, "reject": claim_reject, "revoke": claim_revoke}
    action = form.cleaned_data["action"]
    return act(
        request,
        lambda: decide[action](
            claim=claim, moderator=request.user, reason=form.cleaned_data["reason"]
        ),
        done=f"Claim of {claim.author.display_name}: {action}d.",
        back="profiles:claim-review",
    )


@require_GET
@login_required
def claim_review(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied
    context = {
        "claims": claim_list_for_review(),
        "transfers": work_transfer_list_pending(),
        "merges": record_merge_list_recent(),
    }
    return render(request, "profiles/claim_review.html", context)
