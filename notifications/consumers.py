"""A member's open pages hear their unread count change. Only the count travels."""

from __future__ import annotations

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from notifications.services import member_group


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        user = self.scope["user"]
        # Accepted before refusing, so the page's script gets the 4401 rather than a failed handshake.
        await self.accept()
        if not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group = member_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def notifications_count(self, event: dict) -> None:
        await self.send_json({"type": "notifications.count", "unread": event["unread"]})
