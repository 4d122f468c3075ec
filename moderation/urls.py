from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue_page, name="queue"),
    path("items/<int:item_id>/", views.item_detail, name="item"),
    path("items/<int:item_id>/claim/", views.item_claim, name="item_claim"),
    path("items/<int:item_id>/release/", views.item_release, name="item_release"),
    path("items/<int:item_id>/dismiss/", views.item_dismiss, name="item_dismiss"),
    path("items/<int:item_id>/decide/", views.item_decide_appeal, name="item_decide"),
    path("posts/<int:post_id>/act/", views.post_act, name="post_act"),
    path("posts/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:post_id>/reply/", views.post_template_reply, name="post_reply"),
    path("posts/<int:post_id>/content-notes/", views.post_content_notes, name="post_content_notes"),
    path("threads/<int:thread_id>/act/", views.thread_act, name="thread_act"),
    path("members/<int:member_id>/", views.member_page, name="member"),
    path("members/<int:member_id>/reach-out/", views.member_reach_out, name="member_reach_out"),
    path("members/<int:member_id>/email/", views.member_email, name="member_email"),
    path("report/post/<int:post_id>/", views.report_post, name="report_post"),
    path("report/member/<str:pseudonym>/", views.report_member, name="report_member"),
    path("reports/<int:report_id>/", views.report_status, name="report_status"),
    path("decisions/<int:action_id>/", views.decision, name="decision"),
]
