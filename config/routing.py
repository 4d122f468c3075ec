from django.urls import path

from forum import consumers as forum_consumers

websocket_urlpatterns = [
    path("ws/threads/<int:thread_id>/", forum_consumers.ThreadConsumer.as_asgi()),
]
