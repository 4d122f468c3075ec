from django.urls import path

from forum import views, views_reactions, views_welcome

app_name = "forum"

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_page, name="help"),
    path("guidelines/", views.guidelines, name="guidelines"),
    path("waiting/", views.waiting, name="waiting"),
    path("welcome/", views_welcome.welcome_pseudonym, name="welcome"),
    path("welcome/guidelines/", views_welcome.welcome_guidelines, name="welcome_guidelines"),
    path("welcome/content-notes/", views_welcome.welcome_notes, name="welcome_notes"),
    path("welcome/done/", views_welcome.welcome_done, name="welcome_done"),
    path("welcome/skip/", views_welcome.welcome_skip, name="welcome_skip"),
    path("settings/content-notes/", views_welcome.note_preferences, name="note_preferences"),
    path("settings/volunteering/", views_welcome.volunteering, name="volunteering"),
    path("f/<slug:slug>/", views.subforum_detail, name="subforum"),
    path("f/<slug:slug>/new/", views.thread_create, name="thread_create"),
    path("t/<int:thread_id>/", views.thread_detail, name="thread_noslug"),
    path("t/<int:thread_id>/reply/", views.post_reply, name="reply"),
    path("t/<int:thread_id>/<slug:slug>/", views.thread_detail, name="thread"),
    path("p/<int:post_id>/", views.post_permalink, name="post"),
    path("p/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("p/<int:post_id>/remove/", views.post_delete, name="post_delete"),
    path("p/<int:post_id>/history/", views.post_history, name="post_history"),
    path("p/<int:post_id>/react/", views_reactions.post_react, name="post_react"),
    path("m/<str:pseudonym>/", views.profile, name="profile"),
]
