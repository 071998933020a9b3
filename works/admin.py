from django.contrib import admin

from bzpeer.admin import StaffReadOnlyAdmin

from .models import (
    Author,
    AuthorshipOverride,
    ImportPart,
    ImportRun,
    Institution,
    Source,
    Topic,
    Work,
)
from .services import authorship_override_revert


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["openalex_id", "display_name", "orcid", "works_count", "updated_date"]
    search_fields = ["openalex_id", "display_name", "orcid"]
    raw_id_fields = ["last_known_institutions"]


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ["openalex_id", "title", "publication_year", "type", "updated_date"]
    search_fields = ["openalex_id", "title", "doi"]
    list_select_related = ["primary_source"]
    raw_id_fields = ["primary_source"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["openalex_id", "display_name", "country_code", "type"]
    search_fields = ["openalex_id", "display_name", "ror"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["openalex_id", "display_name", "type", "issn_l"]
    search_fields = ["openalex_id", "display_name", "issn_l"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["openalex_id", "display_name", "subfield", "field"]
    search_fields = ["openalex_id", "display_name"]


@admin.register(AuthorshipOverride)
class AuthorshipOverrideAdmin(StaffReadOnlyAdmin, admin.ModelAdmin):
    """The history of owners' corrections ("Not me", "This is mine") for staff to read, and to
    revert (the action; the row stays, marked reverted)."""

    list_display = ["created_at", "kind", "author", "work", "created_by", "reason", "reverted_at"]
    list_filter = ["kind"]
    search_fields = ["author__openalex_id", "work__openalex_id", "reason"]
    list_select_related = ["author", "work", "created_by"]
    actions = ["revert"]

    @admin.action(description="Revert the selected corrections")
    def revert(self, request, queryset) -> None:
        done = 0
        for override in queryset.in_force():
            authorship_override_revert(override=override, user=request.user)
            done += 1
        self.message_user(request, f"Reverted {done} correction(s).")


class ImportPartInline(StaffReadOnlyAdmin, admin.TabularInline):
    model = ImportPart
    fields = ["path", "state", "attempts", "records", "errors", "error", "finished_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        # A snapshot has thousands of parts: the run's page lists the failed ones only.
        return super().get_queryset(request).filter(state=ImportPart.State.FAILED)


@admin.register(ImportRun)
class ImportRunAdmin(StaffReadOnlyAdmin, admin.ModelAdmin):
    """Parallel imports (import_openalex --workers/--queue) as they go: parts done of the
    total, failed parts with their error (on the run's page), records/s and time left."""

    list_display = [
        "pk", "started_at", "mode", "parts", "parts_failed", "records", "errors",
        "records_per_second", "time_left", "lists_state", "finished_at",
    ]  # fmt: skip
    list_filter = ["mode", "lists_state"]
    inlines = [ImportPartInline]
    readonly_fields = ["parts", "records_per_second", "time_left"]

    @admin.display(description="parts done")
    def parts(self, run: ImportRun) -> str:
        return f"{run.parts_done}/{run.parts_total}"

    @admin.display(description="records/s")
    def records_per_second(self, run: ImportRun) -> str:
        return f"{run.rate:,.0f}"

    @admin.display(description="time left")
    def time_left(self, run: ImportRun) -> str:
        eta = run.eta
        if eta is None:
            return "-" if run.finished_at else "unknown yet"
        minutes, seconds = divmod(round(eta), 60)
        return f"{minutes // 60}:{minutes % 60:02d}:{seconds:02d}"
