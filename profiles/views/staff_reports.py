"""The staff reports queue: open reports of invites and messages, oldest first, and a
moderator's three answers to one. Staff only (_require_staff): 403 for anyone else."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from bzpeer.actions import act
from profiles.selectors.reports import report_get, report_list_open
from profiles.services.reports import report_resolve

DONE = {
    "dismiss": "Report dismissed.",
    "block": "Blocked: the sender can no longer invite or message the reporter.",
    "handled": "Report marked handled.",
}


def _require_staff(request: HttpRequest) -> None:
    if not request.user.is_staff:
        raise PermissionDenied


@require_GET
@login_required
def reports(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    return render(request, "profiles/staff_reports.html", {"queue": report_list_open()})


@require_POST
@login_required
def report_resolve_view(request: HttpRequest, report_id: int) -> HttpResponse:
    _require_staff(request)
    report = report_get(report_id=report_id)
    if report is None:
        raise Http404("No such report.")
    action = request.POST.get("action", "")
    return act(
        request,
        lambda: report_resolve(report=report, moderator=request.user, action=action),
        done=DONE.get(action, ""),
        back="profiles:reports",
    )
