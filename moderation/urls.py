from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("posts/<int:post_id>/content-notes/", views.post_content_notes, name="post_content_notes"),
]
