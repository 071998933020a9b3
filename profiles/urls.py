from django.urls import path

from . import views

app_name = "profiles"
urlpatterns = [
    path("", views.home, name="home"),
    path("researchers/", views.researcher_list, name="list"),
    path("researchers/<str:author_id>/", views.researcher_detail, name="detail"),
    path("researchers/<str:author_id>/works/", views.researcher_works_more, name="works-more"),
]
