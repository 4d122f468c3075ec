from django.urls import path

from forum import views

app_name = "forum"

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_page, name="help"),
    path("guidelines/", views.guidelines, name="guidelines"),
    path("welcome/", views.home, name="welcome"),  # replaced by the onboarding flow (issue 3)
    path("f/<slug:slug>/", views.subforum_detail, name="subforum"),
    path("f/<slug:slug>/new/", views.thread_create, name="thread_create"),
    path("t/<int:thread_id>/", views.thread_detail, name="thread_noslug"),
    path("t/<int:thread_id>/reply/", views.post_reply, name="reply"),
    path("t/<int:thread_id>/<slug:slug>/", views.thread_detail, name="thread"),
    path("p/<int:post_id>/", views.post_permalink, name="post"),
    path("p/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("p/<int:post_id>/remove/", views.post_delete, name="post_delete"),
    path("m/<str:pseudonym>/", views.profile, name="profile"),
]
