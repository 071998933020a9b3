from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
]
