"""The live queue: moderators' open queue pages hear that items were opened, claimed or resolved.

Members and guests are refused. Only ids, kind, priority and subforum travel; a scoped moderator
hears only about the subforums they look after, and the page fetches what it shows.
"""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from moderation.permissions import can_moderate, moderated_subforum_ids
from moderation.realtime import QUEUE_GROUP


@database_sync_to_async
def _scope_of(user) -> tuple[bool, set[int] | None]:
    if not can_moderate(user):
        return False, None
    return True, moderated_subforum_ids(user)


class QueueConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        # Accepted before refusing, so the page's script gets the 4404 rather than a failed handshake.
        await self.accept()
        allowed, self.subforum_ids = await _scope_of(self.scope["user"])
        if not allowed:
            await self.close(code=4404)
            return
        self.joined = True
        await self.channel_layer.group_add(QUEUE_GROUP, self.channel_name)

    async def disconnect(self, code: int) -> None:
        if getattr(self, "joined", False):
            await self.channel_layer.group_discard(QUEUE_GROUP, self.channel_name)

    async def queue_event(self, event: dict) -> None:
        if self.subforum_ids is not None and event.get("subforum_id") not in self.subforum_ids:
            return
        await self.send_json(
            {
                "type": "queue.event",
                "event": event["event"],
                "item_id": event["item_id"],
                "kind": event["kind"],
                "priority": event["priority"],
            }
        )
