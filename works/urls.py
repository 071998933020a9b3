from django.urls import path

from . import views

app_name = "works"
urlpatterns = [
    path("works/<str:openalex_id>/", views.work_detail, name="detail"),
    path("topics/<str:openalex_id>/", views.topic_detail, name="topic"),
    path("institutions/<str:openalex_id>/", views.institution_detail, name="institution"),
]
