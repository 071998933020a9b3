from django.urls import path, re_path

from . import views

app_name = "profiles"
urlpatterns = [
    path("", views.home, name="home"),
    path("researchers/", views.researcher_list, name="list"),
    path("researchers/<str:author_id>/", views.researcher_detail, name="detail"),
    path("researchers/<str:author_id>/works/", views.researcher_works_more, name="works-more"),
    # An ORCID iD URL in place of the id ("https%3A%2F%2Forcid.org%2F…" arrives decoded, with
    # its slashes, sometimes merged by a proxy): the view redirects to the record's page.
    re_path(
        r"^researchers/(?P<author_id>(?:https?:/{1,2})?(?:www\.)?orcid\.org/[^/]+)/?$",
        views.researcher_detail,
        name="detail-orcid",
    ),
]
