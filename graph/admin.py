from django.contrib import admin

from .models import TrustScore


@admin.register(TrustScore)
class TrustScoreAdmin(admin.ModelAdmin):
    list_display = ["author", "score", "label", "computed_at", "is_stale"]
    raw_id_fields = ["author"]
