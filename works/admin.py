from django.contrib import admin

from .models import Author, Institution, Source, Topic, Work


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
