"""What the owner of a claimed record controls: their profile, "Not me" and "This is mine" on
works and their undo (and the answer to a request for a work on a record someone else
claims), and merging a duplicate record. Only the owner of an active claim and staff may act
(_get_author_for_curator); a request is answered by that record's claimant or staff
(_get_transfer_for_user); staff undo a merge."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bzpeer.actions import act
from profiles.forms import NotMeForm, OwnerProfileForm, WorkTransferDecisionForm
from profiles.models import WorkTransfer
from profiles.selectors.claims import claim_is_active_owner, claim_is_live_owner
from profiles.selectors.owner import (
    author_duplicate_suggestions,
    author_merge_preview,
    authorship_get_for_confirm,
    owner_profile_get,
    record_merge_get,
    work_candidates_for_author,
    work_transfer_get,
)
from profiles.selectors.researcher import (
    author_brief_get_or_404,
    author_get_brief,
    author_institution_list,
)
from profiles.services.merges import MergeError, author_merge_duplicate, author_merge_undo
from profiles.services.owner import (
    owner_correction_undo,
    owner_profile_update,
    owner_work_exclude,
    owner_work_include,
    work_transfer_decide,
)
from works.models import Author
from works.selectors import authorship_get, authorship_override_get, work_get_brief


def _get_author_for_curator(request: HttpRequest, author_id: str) -> Author:
    """The record if this visitor owns it through an active claim, or is staff; 404 for a
    missing record, 403 for anyone else."""
    author = author_brief_get_or_404(openalex_id=author_id)
    if not (request.user.is_staff or claim_is_active_owner(user=request.user, author=author)):
        raise PermissionDenied
    return author


def _get_transfer_for_user(request: HttpRequest, transfer_id: int, *, role: str) -> WorkTransfer:
    """The request if this visitor may see it ("party": who asked, the claimant of the record
    the work is on, staff) or answer it ("decider": that claimant or staff); 404 for a
    missing request, 403 for anyone else."""
    transfer = work_transfer_get(transfer_id=transfer_id)
    if transfer is None:
        raise Http404("No such request.")
    user = request.user
    decider = user.is_staff or claim_is_live_owner(user=user, author=transfer.from_author)
    if not (decider or (role == "party" and transfer.requested_by_id == user.pk)):
        raise PermissionDenied
    return transfer


def _works_of(author: Author) -> str:
    return f"{author.get_absolute_url()}#works"


@require_POST
@login_required
def work_not_me(request: HttpRequest, author_id: str, work_id: str) -> HttpResponse:
    author = _get_author_for_curator(request, author_id)
    work = work_get_brief(openalex_id=work_id)
    if work is None:
        raise Http404("No work with this id in our index.")
    form = NotMeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Keep the reason under 2000 characters.")
        return redirect(_works_of(author))
    return act(
        request,
        lambda: owner_work_exclude(
            author=author, work=work, user=request.user, reason=form.cleaned_data["reason"]
        ),
        done=f"“{work.title}” is off this record; it stays off.",
        back=_works_of(author),
    )


@require_POST
@login_required
def work_correction_undo(request: HttpRequest, author_id: str, override_id: int) -> HttpResponse:
    author = _get_author_for_curator(request, author_id)
    override = authorship_override_get(author=author, override_id=override_id)
    if override is None:
        raise Http404("No such correction on this record.")
    return act(
        request,
        lambda: owner_correction_undo(override=override, user=request.user),
        done="Undone: the work is back as OpenAlex lists it.",
        back=_works_of(author),
    )


@require_GET
@login_required
def work_add(request: HttpRequest, author_id: str) -> HttpResponse:
    """Find a missing work by DOI or title, and say which of its authorships is yours."""
    author = _get_author_for_curator(request, author_id)
    query = request.GET.get("q", "").strip()[:300]
    works = work_candidates_for_author(author=author, query=query) if query else []
    context = {"author": author, "query": query, "works": works}
    return render(request, "profiles/work_add.html", context)


@require_GET
@login_required
def work_add_authorship_confirm(
    request: HttpRequest, author_id: str, authorship_id: int
) -> HttpResponse:
    """What "This is me" will do (move the work here, or ask the owner of the record it is
    on), before it does it; only this page's form posts to work_add_authorship."""
    author = _get_author_for_curator(request, author_id)
    authorship = authorship_get_for_confirm(authorship_id=authorship_id)
    if authorship is None or authorship.author_id == author.pk:
        raise Http404("No such authorship.")
    query = request.GET.get("q", "").strip()[:300]  # to lead back to the same results
    context = {"author": author, "authorship": authorship, "query": query}
    return render(request, "profiles/work_add_confirm.html", context)


@require_POST
@login_required
def work_add_authorship(request: HttpRequest, author_id: str, authorship_id: int) -> HttpResponse:
    author = _get_author_for_curator(request, author_id)
    authorship = authorship_get(authorship_id=authorship_id)
    if authorship is None:
        raise Http404("No such authorship.")

    def done(result: object) -> str:
        if isinstance(result, WorkTransfer):
            return (
                f"“{result.work.title or result.work.openalex_id}” is on a record its owner "
                "claimed: we asked its owner to give it to you, and will tell you the answer."
            )
        return "The work is on your record now; it stays there."

    return act(
        request,
        lambda: owner_work_include(author=author, authorship=authorship, user=request.user),
        done=done,
        back=_works_of(author),
    )


@require_GET
@login_required
def work_transfer(request: HttpRequest, transfer_id: int) -> HttpResponse:
    """A request for a work on a claimed record, with the answer buttons for its claimant."""
    transfer = _get_transfer_for_user(request, transfer_id, role="party")
    may_decide = request.user.is_staff or claim_is_live_owner(
        user=request.user, author=transfer.from_author
    )
    context = {"transfer": transfer, "may_decide": may_decide}
    return render(request, "profiles/work_transfer.html", context)


@require_POST
@login_required
def work_transfer_decide_view(request: HttpRequest, transfer_id: int) -> HttpResponse:
    transfer = _get_transfer_for_user(request, transfer_id, role="decider")
    form = WorkTransferDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say whether to give the work or keep it.")
        return redirect(transfer)
    accept = form.cleaned_data["action"] == "accept"
    title = transfer.work.title or transfer.work.openalex_id
    return act(
        request,
        lambda: work_transfer_decide(transfer=transfer, user=request.user, accept=accept),
        done=f"“{title}” is now on {transfer.to_author.display_name}’s record."
        if accept
        else f"“{title}” stays on {transfer.from_author.display_name}’s record.",
        back=transfer,
    )


@require_http_methods(["GET", "POST"])
@login_required
def owner_profile_edit(request: HttpRequest, author_id: str) -> HttpResponse:
    author = _get_author_for_curator(request, author_id)
    institutions = [row.institution for row in author_institution_list(author=author)]
    profile = owner_profile_get(author=author)
    initial = {
        "summary": profile.summary if profile else "",
        "open_to_collaborate": {True: "yes", False: "no"}.get(
            profile.open_to_collaborate if profile else None, ""
        ),
        "shown_institution": str(profile.shown_institution_id or "") if profile else "",
    }
    form = OwnerProfileForm(request.POST or None, initial=initial, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner_profile_update(
            author=author,
            user=request.user,
            summary=data["summary"],
            open_to_collaborate={"yes": True, "no": False}.get(data["open_to_collaborate"]),
            shown_institution_id=int(data["shown_institution"])
            if data["shown_institution"]
            else None,
        )
        messages.success(request, "Your profile is updated.")
        return redirect(author)
    return render(request, "profiles/owner_profile_edit.html", {"author": author, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def record_merge(request: HttpRequest, author_id: str) -> HttpResponse:
    """Suggested duplicates, a preview of the counts after a merge, and the merge itself."""
    author = _get_author_for_curator(request, author_id)
    other_id = (request.POST.get("duplicate") or request.GET.get("with") or "").strip().upper()
    duplicate = author_get_brief(openalex_id=other_id) if other_id else None
    if other_id and (duplicate is None or duplicate.pk == author.pk):
        messages.error(request, f"No other record {other_id} in our index.")
        return redirect("profiles:record-merge", author.openalex_id)
    if request.method == "POST":
        if duplicate is None:
            raise Http404("Say which record to merge.")
        try:
            merge = author_merge_duplicate(into=author, duplicate=duplicate, user=request.user)
        except MergeError as exc:
            messages.error(request, str(exc))
            return redirect("profiles:record-merge", author.openalex_id)
        messages.success(
            request,
            f"{merge.duplicate_name} ({merge.duplicate_openalex_id}) is merged into your record: "
            f"{merge.works_moved} work(s) moved.",
        )
        return redirect(author)
    preview = author_merge_preview(into=author, duplicate=duplicate) if duplicate else None
    context = {
        "author": author,
        "suggestions": author_duplicate_suggestions(author=author),
        "preview": preview,
        # The service's rule: a likely duplicate, or staff.
        "may_merge": bool(preview and (preview.is_likely_duplicate or request.user.is_staff)),
    }
    return render(request, "profiles/record_merge.html", context)


@require_POST
@login_required
def record_merge_undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    """Staff put a merged duplicate back (from the list of merges on /claims/review/)."""
    if not request.user.is_staff:
        raise PermissionDenied
    merge = record_merge_get(merge_id=merge_id)
    if merge is None:
        raise Http404("No such merge.")
    return act(
        request,
        lambda: author_merge_undo(merge=merge, user=request.user),
        done=f"{merge.duplicate_name} ({merge.duplicate_openalex_id}) is a record of its own "
        "again, with its works.",
        back="profiles:claim-review",
    )
