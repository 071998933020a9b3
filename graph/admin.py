from django.contrib import admin

from .models import GraphSlice, TrustScore


@admin.register(TrustScore)
class TrustScoreAdmin(admin.ModelAdmin):
    list_display = ["author", "score", "label", "computed_at", "queued_at", "is_stale"]
    raw_id_fields = ["author"]


@admin.register(GraphSlice)
class GraphSliceAdmin(admin.ModelAdmin):
    list_display = ["author", "computed_at", "queued_at", "is_stale"]
    raw_id_fields = ["author"]
