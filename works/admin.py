from django.contrib import admin

from bzpeer.admin import StaffReadOnlyAdmin

from .models import Author, AuthorshipOverride, Institution, Source, Topic, Work
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
