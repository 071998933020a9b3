"""Reads for the staff reports queue: the open reports, oldest first, each with what was
reported and the two people involved, named as the site names them."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from profiles.models import Block, Report
from profiles.selectors.identity import person_cards_get

REPORTS_SHOWN = 100


@dataclass(frozen=True)
class ReportRow:
    report: Report
    kind: str  # "invite" or "message"
    focus: str  # the invite's focus; "" for a message
    text: str  # the invite's message, or the reported message's body
    where: str  # the invite or conversation, which staff may read once it is reported
    reporter: AbstractBaseUser
    reported: AbstractBaseUser
    reporter_name: str
    reported_name: str
    already_blocked: bool  # the reporter already blocks the reported person


@dataclass(frozen=True)
class ReportQueue:
    rows: list[ReportRow]
    open_count: int


def report_list_open(*, limit: int = REPORTS_SHOWN) -> ReportQueue:
    """Open reports, oldest first (the first `limit`), and how many are open: five queries
    whatever their number (the count, the reports with their invite or message and people,
    the people's names and proven records, the blocks between them). People are named as the
    site names them (identity.person_cards_get); staff also see their addresses."""
    open_reports = Report.objects.filter(resolved_at__isnull=True)
    open_count = open_reports.count()
    reports = list(
        open_reports.select_related(
            "reporter", "invite__sender", "message__sender", "message__conversation"
        ).order_by("created_at", "id")[:limit]
    )
    reported = {r.pk: (r.invite.sender if r.invite_id else r.message.sender) for r in reports}
    cards = person_cards_get(
        user_ids=[r.reporter_id for r in reports] + [u.pk for u in reported.values()]
    )
    blocked = set(
        Block.objects.filter(
            blocker_id__in={r.reporter_id for r in reports},
            blocked_id__in={u.pk for u in reported.values()},
        ).values_list("blocker_id", "blocked_id")
    )
    rows = []
    for report in reports:
        person = reported[report.pk]
        if report.invite_id:
            kind, focus, text = "invite", report.invite.focus, report.invite.message
            where = report.invite.get_absolute_url()
        else:
            kind, focus, text = "message", "", report.message.body
            where = report.message.conversation.get_absolute_url()
        rows.append(
            ReportRow(
                report=report,
                kind=kind,
                focus=focus,
                text=text,
                where=where,
                reporter=report.reporter,
                reported=person,
                reporter_name=cards[report.reporter_id].name,
                reported_name=cards[person.pk].name,
                already_blocked=(report.reporter_id, person.pk) in blocked,
            )
        )
    return ReportQueue(rows=rows, open_count=open_count)


def report_get(*, report_id: int) -> Report | None:
    """One report with its invite or message, for a moderator's action (one query)."""
    return (
        Report.objects.select_related("reporter", "invite", "message").filter(pk=report_id).first()
    )
