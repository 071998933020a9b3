from django.urls import path

from . import views

app_name = "graph"
urlpatterns = [
    path("researchers/<str:author_id>/trust/", views.trust_panel, name="trust-panel"),
    path("researchers/<str:author_id>/graph-panel/", views.graph_panel, name="graph-panel"),
    path("researchers/<str:author_id>/graph/", views.graph_explorer, name="explorer"),
    path("about/trust/", views.about_trust, name="about-trust"),
]
