"""Staff working through reports: dismiss one, mark it handled, or block the reported person
from reaching the reporter again. Each resolves the report once; the admin's history of the
report says who did what."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from bzpeer.errors import ActionError
from profiles.models import Report
from profiles.services.invites import block_create

# action -> what the admin's history of the report says was done
REPORT_ACTIONS = {
    "dismiss": "Dismissed from the reports queue: nothing to act on.",
    "block": "Blocked the sender for the reporter from the reports queue.",
    "handled": "Marked handled from the reports queue.",
}


class ReportError(ActionError):
    """A moderator's action on a report that cannot happen."""


@transaction.atomic
def report_resolve(*, report: Report, moderator: AbstractBaseUser, action: str) -> Report:
    """Resolve an open report by `action` (REPORT_ACTIONS). "block": the reporter takes no
    more invites or messages from the reported sender, whose pending invites to them are
    declined (invites.block_create, as if the reporter had blocked them)."""
    if not moderator.is_staff:
        raise ReportError("Only staff resolve reports.")
    if action not in REPORT_ACTIONS:
        raise ReportError("Choose dismiss, block or mark handled.")
    now = timezone.now()
    # A conditional UPDATE: of two moderators acting at once, exactly one resolves it.
    if not Report.objects.filter(pk=report.pk, resolved_at__isnull=True).update(resolved_at=now):
        raise ReportError("Another moderator has already resolved this report.")
    report.resolved_at = now
    if action == "block":
        sender_id = report.invite.sender_id if report.invite_id else report.message.sender_id
        block_create(blocker=report.reporter, blocked_id=sender_id)
    # Report has no outcome column (resolved_at only): the admin's log keeps which it was.
    LogEntry.objects.log_actions(
        user_id=moderator.pk,
        queryset=[report],
        action_flag=CHANGE,
        change_message=REPORT_ACTIONS[action],
        single_object=True,
    )
    return report
