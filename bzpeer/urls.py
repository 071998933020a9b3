from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("profiles.urls")),
    path("", include("works.urls")),
]

handler404 = "profiles.views.not_found"
