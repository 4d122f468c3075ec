"""Moderation's writes, one module per topic: queue (claim, resolve), actions (posts and threads,
the log), sanctions (members), appeals, reports. Views call these; nothing else writes moderation rows
except ``moderation.intake``, the door through which forum hands work to moderators."""

from moderation.services.actions import action_log, content_notes_change

__all__ = ["action_log", "content_notes_change"]
