"""Listing reads to a read replica, when there is one (``DATABASE_REPLICA_URL``).

The replica takes what most visitors cost: the forum's listings and threads read by a GET.
Everything else reads the primary: writes and anything inside a transaction (a replica may
lag, and a service that locks a row must read what it locks), sessions and accounts (sign-in
must see the session it just wrote), moderation, background jobs and commands (they run
outside a request), and any request from a browser that wrote in the last few seconds
(``config.middleware.PrimaryAfterWriteMiddleware``), so a member always sees their own post.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connections

from config.middleware import replica_reads_allowed

REPLICA = "replica"
#: Models whose reads may lag a few seconds without harm: what listings and thread pages show.
LISTING_APPS = {"forum", "health"}


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            REPLICA in settings.DATABASES
            and model._meta.app_label in LISTING_APPS
            and replica_reads_allowed.get()
            and not connections["default"].in_atomic_block
        ):
            return REPLICA
        return None  # the primary

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two doors

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # the replica follows the primary; nothing migrates it
