"""/api/: OpenAlex's read API paths (no trailing slash, as api.openalex.org), so clients
written for it need only another base URL. <path:…> because an id may be a URL
("https://doi.org/10.…", "https://openalex.org/W…")."""

from django.urls import path

from bzpeer.api import views

app_name = "api"
urlpatterns = [
    path("", views.api_root, name="root"),
    path("authors", views.author_list, name="authors"),
    path("authors/<path:author_id>", views.author_detail, name="author"),
    path("works", views.work_list, name="works"),
    path("works/<path:work_id>", views.work_detail, name="work"),
    path("institutions", views.institution_list, name="institutions"),
    path("institutions/<path:institution_id>", views.institution_detail, name="institution"),
    path("topics", views.topic_list, name="topics"),
    path("topics/<path:topic_id>", views.topic_detail, name="topic"),
    path("<path:rest>", views.api_not_found, name="not-found"),
]
