from django.urls import path

from accounts.second_factor import StaffSecondFactorSocketGuard
from forum import consumers as forum_consumers
from moderation import consumers as moderation_consumers
from notifications import consumers as notification_consumers

websocket_urlpatterns = [
    path("ws/threads/<int:thread_id>/", forum_consumers.ThreadConsumer.as_asgi()),
    # Staff sockets open only after the second step, like staff pages (accounts/second_factor.py).
    path("ws/moderation/", StaffSecondFactorSocketGuard(moderation_consumers.QueueConsumer.as_asgi())),
    path("ws/notifications/", notification_consumers.NotificationConsumer.as_asgi()),
]
