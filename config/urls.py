from django.contrib import admin
from django.urls import include, path

from accounts import views as accounts_views
from forum import errors
from forum import views as forum_views
from moderation import views as moderation_views

admin.site.site_header = "Hearth administration"
admin.site.site_title = "Hearth admin"
# No second, unlimited sign-in form: the admin's login sends people to allauth's (attempt limits,
# the second step) and back through ``next``. Set before admin.site.urls is read below.
admin.site.login = accounts_views.admin_sign_in

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page says; answer with the real icon.
    path("favicon.ico", forum_views.favicon),
    path("admin/", admin.site.urls),
    path("", include("privacy.urls")),
    path("accounts/settings/", include("accounts.urls")),
    path("moderation/", include("moderation.urls")),
    path("transparency/", moderation_views.transparency, name="transparency"),
    path("notifications/", include("notifications.urls")),
    path("forum-health/", include("health.urls")),
    # allauth's sign-in, answering 429 calmly when wrong passwords have paused it (before allauth's own).
    path("accounts/login/", accounts_views.sign_in, name="sign_in"),
    path("accounts/", include("allauth.urls")),
    path("", include("forum.urls")),
]

handler403 = errors.permission_denied
handler404 = errors.not_found
handler500 = errors.server_error
