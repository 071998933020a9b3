from django.contrib import admin
from django.urls import include, path

from .health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("api/", include("bzpeer.api.urls")),
    path("", include("profiles.urls")),
    path("", include("works.urls")),
    path("", include("graph.urls")),
    path("", include("notices.urls")),
]

handler404 = "bzpeer.views.not_found"
