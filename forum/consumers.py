"""Websocket consumers: adapters that authorise, join a group and forward events."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from forum.models import Thread
from forum.realtime import thread_group


@database_sync_to_async
def _may_read(user, thread_id: int) -> bool:
    return Thread.objects.visible_to(user).filter(pk=thread_id).exists()


class ThreadConsumer(AsyncJsonWebsocketConsumer):
    """Readers of one thread hear when a published reply arrives (ids only)."""

    async def connect(self) -> None:
        self.thread_id = int(self.scope["url_route"]["kwargs"]["thread_id"])
        if not await _may_read(self.scope["user"], self.thread_id):
            await self.close(code=4404)
            return
        self.group = thread_group(self.thread_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def post_published(self, event: dict) -> None:
        await self.send_json({"type": "post.published", "post_id": event["post_id"]})
