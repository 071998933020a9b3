from django.contrib import admin

from bzpeer.admin import StaffReadOnlyAdmin
from profiles.models import (
    Block,
    Claim,
    ClaimEvent,
    Follow,
    OwnerProfileEdit,
    RecordMerge,
    Report,
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
    """Owners' merges of duplicate records, for staff to read."""

    list_display = [
        "created_at", "into", "duplicate_openalex_id", "duplicate_name", "works_moved", "merged_by"
    ]  # fmt: skip
    search_fields = ["into__openalex_id", "duplicate_openalex_id", "duplicate_name"]


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


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["blocker", "blocked", "created_at"]
    raw_id_fields = ["blocker", "blocked"]
