"""Websocket consumers: adapters that authorise, join a group and forward events.

A refused socket is accepted and then closed with a code (4404: nothing here for you), because a
socket closed before ``accept()`` reaches the browser as a failed HTTP handshake (403) with no
code, which the page's script cannot tell from a network fault and would retry for ever.
"""

from __future__ import annotations

import asyncio

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from forum.models import Thread
from forum.querysets import thread_visible_to
from forum.realtime import NOT_VISIBLE, thread_group

#: How long a worker keeps one event's thread state for the rest of that thread's readers.
EVENT_STATE_SECONDS = 30.0

# Event id -> the thread's (status, author id) read once for that event, shared by every reader
# of the thread that this worker process serves. Touched only from the process's event loop.
_state_by_event: dict[str, asyncio.Future] = {}


@database_sync_to_async
def _read_thread_state(thread_id: int) -> tuple[str, int] | None:
    return Thread.objects.filter(pk=thread_id).values_list("status", "author_id").first()


async def thread_state_for_event(event_id: str, thread_id: int) -> tuple[str, int] | None:
    """The thread's state as of this event, read from the database once per worker process.

    Five hundred readers of one thread used to ask PostgreSQL the same question, one after the
    other, for every reply; the last of them heard of the reply half a second late. The first
    reader's look-up now answers the rest (a failed look-up is not kept: the next reader asks).
    """
    future = _state_by_event.get(event_id)
    if future is None:
        future = asyncio.get_running_loop().create_future()
        _state_by_event[event_id] = future
        asyncio.get_running_loop().call_later(EVENT_STATE_SECONDS, _state_by_event.pop, event_id, None)
        try:
            future.set_result(await _read_thread_state(thread_id))
        except BaseException as error:
            _state_by_event.pop(event_id, None)
            future.set_exception(error)
            future.exception()  # retrieved here, so no "never retrieved" warning when none wait
            raise
    return await asyncio.shield(future)


class ThreadConsumer(AsyncJsonWebsocketConsumer):
    """Readers of one thread hear when a published reply arrives (ids only).

    Visibility is asked again before every event, not only at connect: a thread removed, hidden
    or held while a reader's page is open must stop telling that reader anything, and its socket
    closes (4404).
    """

    async def connect(self) -> None:
        self.thread_id = int(self.scope["url_route"]["kwargs"]["thread_id"])
        await self.accept()
        state = await _read_thread_state(self.thread_id)
        if state is None or not thread_visible_to(self.scope["user"], status=state[0], author_id=state[1]):
            await self.close(code=NOT_VISIBLE)
            return
        self.group = thread_group(self.thread_id)
        await self.channel_layer.group_add(self.group, self.channel_name)

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def _still_readable(self, event: dict) -> bool:
        state = await thread_state_for_event(event["event_id"], self.thread_id)
        if state is not None and thread_visible_to(self.scope["user"], status=state[0], author_id=state[1]):
            return True
        await self.channel_layer.group_discard(self.group, self.channel_name)
        await self.close(code=NOT_VISIBLE)
        return False

    async def post_published(self, event: dict) -> None:
        if await self._still_readable(event):
            await self.send_json({"type": "post.published", "post_id": event["post_id"]})

    async def thread_visibility(self, event: dict) -> None:
        """The thread's state changed: readers who may no longer see it are let go at once."""
        await self._still_readable(event)
