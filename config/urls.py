from django.contrib import admin
from django.urls import include, path

from forum import errors

admin.site.site_header = "Hearth administration"
admin.site.site_title = "Hearth admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/settings/", include("accounts.urls")),
    path("moderation/", include("moderation.urls")),
    path("notifications/", include("notifications.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("forum.urls")),
]

handler403 = errors.permission_denied
handler404 = errors.not_found
handler500 = errors.server_error
