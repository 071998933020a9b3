from django.contrib import admin
from django.http import HttpRequest

from bzpeer.admin import StaffReadOnlyAdmin
from profiles.models import (
    Block,
    Claim,
    ClaimEvent,
    Follow,
    OwnerProfileEdit,
    RecordMerge,
    Report,
    WorkTransfer,
)
from profiles.services.owner import owner_profile_edit_revert


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "author", "created_at"]
    raw_id_fields = ["user", "author"]


class ClaimEventInline(StaffReadOnlyAdmin, admin.TabularInline):
    model = ClaimEvent
    fields = ["created_at", "kind", "actor", "note"]
    readonly_fields = fields
    extra = 0


@admin.register(Claim)
class ClaimAdmin(StaffReadOnlyAdmin, admin.ModelAdmin):
    """Every staff member is a moderator and reads claims here; claims change through
    profiles.services.claims (/claims/review/), so every change leaves an event and the
    claimant is told."""

    list_display = [
        "author",
        "user",
        "status",
        "level",
        "evidence_kind",
        "disputed_at",
        "updated_at",
    ]
    list_filter = ["status", "level", "evidence_kind"]
    search_fields = ["author__openalex_id", "author__display_name", "user__email"]
    inlines = [ClaimEventInline]


@admin.register(ClaimEvent)
class ClaimEventAdmin(StaffReadOnlyAdmin, admin.ModelAdmin):
    """The audit log, read-only."""

    list_display = ["created_at", "kind", "claim", "actor", "note"]
    list_filter = ["kind"]
    search_fields = ["claim__author__openalex_id", "actor__email", "note"]


@admin.register(RecordMerge)
class RecordMergeAdmin(StaffReadOnlyAdmin, admin.ModelAdmin):
    """Owners' merges of duplicate records, for staff to read (they undo one on
    /claims/review/, through profiles.services.merges.author_merge_undo)."""

    list_display = [
        "created_at", "into", "duplicate_openalex_id", "duplicate_name", "works_moved",
        "merged_by", "reverted_at", "reverted_by",
    ]  # fmt: skip
    search_fields = ["into__openalex_id", "duplicate_openalex_id", "duplicate_name"]
    exclude = ["snapshot"]


@admin.register(WorkTransfer)
class WorkTransferAdmin(StaffReadOnlyAdmin, admin.ModelAdmin):
    """Requests for works on claimed records, for staff to read (answered on the site)."""

    list_display = [
        "created_at", "work", "from_author", "to_author", "requested_by", "status", "decided_by"
    ]  # fmt: skip
    list_filter = ["status"]
    search_fields = ["work__openalex_id", "from_author__openalex_id", "to_author__openalex_id"]


@admin.register(OwnerProfileEdit)
class OwnerProfileEditAdmin(StaffReadOnlyAdmin, admin.ModelAdmin):
    """Owners' profile edits (before and after), for staff to read and revert."""

    list_display = ["created_at", "profile", "edited_by", "before", "after"]
    search_fields = ["profile__author__openalex_id"]
    actions = ["revert"]

    @admin.action(description="Put the profile back as it was before the selected edit")
    def revert(self, request, queryset) -> None:
        for edit in queryset.select_related("profile__author"):
            owner_profile_edit_revert(edit=edit, user=request.user)
        self.message_user(request, f"Reverted {queryset.count()} edit(s).")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Reports to review: the invite or conversation opens on the site for staff (read only)
    once reported."""

    list_display = ["created_at", "reporter", "invite", "message", "reason", "resolved_at"]
    list_filter = ["resolved_at"]
    raw_id_fields = ["reporter", "invite", "message"]
    readonly_fields = ["reporter", "invite", "message", "reason", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Reports come from the site (a reporter and what they report); an empty one added
        # here would have neither.
        return False


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["blocker", "blocked", "created_at"]
    raw_id_fields = ["blocker", "blocked"]
