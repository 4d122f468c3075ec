from django.urls import path

from forum import consumers as forum_consumers
from moderation import consumers as moderation_consumers
from notifications import consumers as notification_consumers

websocket_urlpatterns = [
    path("ws/threads/<int:thread_id>/", forum_consumers.ThreadConsumer.as_asgi()),
    path("ws/moderation/", moderation_consumers.QueueConsumer.as_asgi()),
    path("ws/notifications/", notification_consumers.NotificationConsumer.as_asgi()),
]
