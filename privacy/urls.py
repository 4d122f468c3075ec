from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("accounts/settings/data/", views.data_home, name="data"),
    path("accounts/settings/data/export/", views.export_request, name="export"),
    path("accounts/settings/data/download/<uuid:export_id>/", views.export_download, name="export_download"),
    path("accounts/settings/delete/", views.erasure_request, name="delete"),
    path("privacy/", views.privacy_page, name="page"),
    path("privacy/erase/<int:member_id>/", views.admin_erase, name="admin_erase"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
]
