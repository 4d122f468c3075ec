"""Live queue updates for moderators. Only ids, kind, priority and subforum travel; pages fetch the rest.

Called after commit; a broken channel layer never breaks a report or an action.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

QUEUE_GROUP = "moderation.queue"


def queue_changed_on_commit(*, event: str, item) -> None:
    """After commit, tell moderators' open queue pages that ``item`` was opened, claimed or resolved."""
    message = {
        "type": "queue.event",
        "event": event,
        "item_id": item.pk,
        "kind": item.kind,
        "priority": item.priority,
        "subforum_id": item.subforum_id,
    }
    transaction.on_commit(lambda: _send(message))


def _send(message: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(QUEUE_GROUP, message)
    except Exception:  # Redis down: the queue page is right again on reload.
        logger.warning("Live queue event %s for item %s not sent", message["event"], message["item_id"], exc_info=True)
