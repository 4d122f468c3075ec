"""Websocket consumers: adapters that authorise, join a group and forward events.

A refused socket is accepted and then closed with a code (4404: nothing here for you), because a
socket closed before ``accept()`` reaches the browser as a failed HTTP handshake (403) with no
code, which the page's script cannot tell from a network fault and would retry for ever.
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from forum.models import Thread
from forum.realtime import NOT_VISIBLE, thread_group


@database_sync_to_async
def _may_read(user, thread_id: int) -> bool:
    return Thread.objects.visible_to(user).filter(pk=thread_id).exists()


class ThreadConsumer(AsyncJsonWebsocketConsumer):
    """Readers of one thread hear when a published reply arrives (ids only).

    Visibility is asked again before every event, not only at connect: a thread removed, hidden
    or held while a reader's page is open must stop telling that reader anything, and its socket
    closes (4404).
    """

    async def connect(self) -> None:
        self.thread_id = int(self.scope["url_route"]["kwargs"]["thread_id"])
        await self.accept()
        if not await _may_read(self.scope["user"], self.thread_id):
            await self.close(code=NOT_VISIBLE)
            return
        self.group = thread_group(self.thread_id)
        await self.channel_layer.group_add(self.group, self.channel_name)

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def _still_readable(self) -> bool:
        if await _may_read(self.scope["user"], self.thread_id):
            return True
        await self.channel_layer.group_discard(self.group, self.channel_name)
        await self.close(code=NOT_VISIBLE)
        return False

    async def post_published(self, event: dict) -> None:
        if await self._still_readable():
            await self.send_json({"type": "post.published", "post_id": event["post_id"]})

    async def thread_visibility(self, event: dict) -> None:
        """The thread's state changed: readers who may no longer see it are let go at once."""
        await self._still_readable()
