"""What the owner of a claimed record controls: their profile, "Not me" and "This is mine" on
works and their undo, and merging a duplicate record. Only the owner of an active claim and
staff may act (_get_author_for_curator)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bzpeer.actions import act
from profiles.forms import NotMeForm, OwnerProfileForm
from profiles.selectors.claims import claim_is_active_owner
from profiles.selectors.owner import (
    author_duplicate_suggestions,
    author_merge_preview,
    owner_profile_get,
    work_candidates_for_author,
)
from profiles.selectors.researcher import (
    author_brief_get_or_404,
    author_get_brief,
    author_institution_list,
)
from profiles.services.owner import (
    MergeError,
    author_merge_duplicate,
    owner_correction_undo,
    owner_profile_update,
    owner_work_exclude,
    owner_work_include,
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


@require_POST
@login_required
def work_add_authorship(request: HttpRequest, author_id: str, authorship_id: int) -> HttpResponse:
    author = _get_author_for_curator(request, author_id)
    authorship = authorship_get(authorship_id=authorship_id)
    if authorship is None:
        raise Http404("No such authorship.")
    return act(
        request,
        lambda: owner_work_include(author=author, authorship=authorship, user=request.user),
        done="The work is on your record now; it stays there.",
        back=_works_of(author),
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
    context = {
        "author": author,
        "suggestions": author_duplicate_suggestions(author=author),
        "preview": author_merge_preview(into=author, duplicate=duplicate) if duplicate else None,
    }
    return render(request, "profiles/record_merge.html", context)
