"""Strict environment parsing for settings.

Every variable Hearth reads is declared here once, with its type and default. An unknown
``HEARTH_*`` variable, or a value that does not parse, stops start-up with a message that names
the variable: a typo must never fall back silently to a default (style habit 9).
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def parse_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use true or false.")


def parse_int(name: str, raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def parse_list(name: str, raw: str) -> list[str]:
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_str(name: str, raw: str) -> str:
    return raw


_DURATION = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
_DURATION_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_duration(name: str, raw: str) -> timedelta | None:
    """``90s``, ``1m``, ``2h`` or ``1d`` as a timedelta; empty means "not set" (None)."""
    if not raw.strip():
        return None
    match = _DURATION.match(raw.lower())
    if match is None or int(match.group(1)) == 0:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a duration; use e.g. 90s, 1m, 2h or 1d.")
    return timedelta(**{_DURATION_UNITS[match.group(2)]: int(match.group(1))})


_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_RATE_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    """At most ``amount`` actions in ``seconds`` (a limit in accounts/limits.py)."""

    amount: int
    seconds: int

    def __str__(self) -> str:
        return f"{self.amount}/{self.seconds}s"


def parse_rate(name: str, raw: str) -> Rate | None:
    """``30/h``, ``5/5m``, ``200/1d``: at most N in the period; ``off`` means no limit (None)."""
    if raw.strip().lower() == "off":
        return None
    match = _RATE.match(raw.lower())
    if match is None or int(match.group(1)) == 0 or match.group(2) == "0":
        raise ImproperlyConfigured(f"{name}={raw!r} is not a rate; use e.g. 30/h, 5/5m or 200/1d (or off).")
    return Rate(int(match.group(1)), int(match.group(2) or 1) * _RATE_SECONDS[match.group(3)])


def parse_networks(name: str, raw: str) -> list[str]:
    """Comma-separated IP addresses or networks (``10.0.0.1``, ``172.28.80.0/24``, ``::1``)."""
    items = parse_list(name, raw)
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {item!r} is not an IP address or network.") from None
    return items


@dataclass(frozen=True)
class Var:
    """One environment variable: its parser, default and a one-line description for the docs."""

    parse: Callable[[str, str], Any]
    default: str | None
    help: str
    choices: tuple[str, ...] = ()


# The single list of variables. docs/configuration.md is written from this table.
VARIABLES: dict[str, Var] = {
    "HEARTH_PROFILE": Var(
        parse_str,
        "embedded",
        "embedded (SQLite, no servers) or production (PostgreSQL, Redis; refuses unsafe settings).",
        choices=("embedded", "production"),
    ),
    "SECRET_KEY": Var(parse_str, None, "Django's signing key. Required in production."),
    "DEBUG": Var(parse_bool, "", "Show Django's debug pages (never in production). Off unless set."),
    "ALLOWED_HOSTS": Var(parse_list, "127.0.0.1,localhost,[::1]", "Comma-separated host names served."),
    "CSRF_TRUSTED_ORIGINS": Var(parse_list, "", "Comma-separated origins (https://example.org)."),
    "DATABASE_URL": Var(parse_str, "", "postgres://user:pass@host:5432/name; empty means SQLite."),
    "DATABASE_CONN_MAX_AGE": Var(
        parse_int,
        "0",
        "Seconds a PostgreSQL connection is kept open when the pool is off; 0: one per request "
        "(Django's advice under ASGI). Must be 0 with the pool.",
    ),
    "DATABASE_POOL_SIZE": Var(
        parse_str,
        "",
        "Most connections in each process's PostgreSQL pool; 0: no pool. Empty: 8 in production, no pool otherwise.",
    ),
    "DATABASE_REPLICA_URL": Var(
        parse_str, "", "postgres:// URL of a read replica for listing reads; empty: everything reads the primary."
    ),
    "HEARTH_PRIMARY_AFTER_WRITE": Var(
        parse_int, "15", "Seconds a browser that wrote reads the primary, not the replica (read-your-writes)."
    ),
    "SQLITE_PATH": Var(parse_str, "var/hearth.sqlite3", "SQLite file used by the embedded default."),
    "REDIS_URL": Var(parse_str, "", "redis://host:6379/0 for cache, channel layer and Celery."),
    "CELERY_BROKER_URL": Var(parse_str, "", "Overrides the broker; defaults to REDIS_URL or a local folder."),
    "HEARTH_TASK_REDELIVERY_SECONDS": Var(
        parse_int,
        "45",
        "Seconds after which a job taken by a worker that died is handed to another (Redis visibility timeout).",
    ),
    "CELERY_TASK_ALWAYS_EAGER": Var(parse_bool, "false", "Run background jobs inline (tests only)."),
    "EMAIL_BACKEND": Var(parse_str, "", "console, smtp, locmem or a dotted path. Defaults to console on embedded."),
    "EMAIL_HOST": Var(parse_str, "localhost", "SMTP host."),
    "EMAIL_PORT": Var(parse_int, "587", "SMTP port."),
    "EMAIL_HOST_USER": Var(parse_str, "", "SMTP user."),
    "EMAIL_HOST_PASSWORD": Var(parse_str, "", "SMTP password."),
    "EMAIL_USE_TLS": Var(parse_bool, "true", "SMTP STARTTLS."),
    "DEFAULT_FROM_EMAIL": Var(parse_str, "Hearth <no-reply@hearth.invalid>", "Sender of Hearth's emails."),
    "HEARTH_SECURE_SSL_REDIRECT": Var(parse_bool, "true", "Redirect HTTP to HTTPS in production."),
    "HEARTH_MAX_TITLE_LENGTH": Var(parse_int, "150", "Longest thread title, in characters."),
    "HEARTH_MAX_POST_LENGTH": Var(parse_int, "20000", "Longest post, in characters."),
    "HEARTH_POSTS_PER_PAGE": Var(parse_int, "25", "Posts on one page of a thread."),
    "HEARTH_THREADS_PER_PAGE": Var(parse_int, "30", "Threads on one page of a subforum."),
    "HEARTH_MAX_REPLY_DEPTH": Var(parse_int, "5", "Deepest visible nesting of replies; deeper continue flat."),
    "HEARTH_NEW_MEMBER_DAYS": Var(parse_int, "14", "Days a member carries the 'new member' label."),
    "HEARTH_ALLOW_IMAGES": Var(parse_bool, "false", "Render Markdown images in posts."),
    "HEARTH_SCREENING_LEARNED": Var(
        parse_bool, "true", "Screening asks the learned model as well as the rules (docs/screening.md)."
    ),
    "HEARTH_SCREENING_CONTEXT": Var(
        parse_bool, "true", "Screening rereads flagged posts with its context check (docs/screening.md)."
    ),
    "HEARTH_SCREENING_CONTEXT_WEIGHTS": Var(
        parse_str,
        "",
        "The context check's base weights; empty: var/models/all-MiniLM-L6-v2.safetensors.",
    ),
    "HEARTH_SCREENING_GRACE_SECONDS": Var(
        parse_int, "120", "Seconds after a post is written or edited before the sweeper re-queues its screening."
    ),
    "HEARTH_SCREENING_SWEEP_DAYS": Var(
        parse_int, "7", "How far back, in days, the sweeper looks for posts whose current text has no screening."
    ),
    "HEARTH_HELP_SNAPSHOT": Var(
        parse_str,
        "var/help-resources.json",
        "File holding the crisis page's services, so /help/ answers with the database and Redis down.",
    ),
    "HEARTH_PREMODERATE_FIRST_POSTS": Var(
        parse_int, "3", "Where a subforum asks, posts wait for review until N were approved by a moderator."
    ),
    "HEARTH_QUEUE_OVERDUE_HIGH_MINUTES": Var(
        parse_int, "15", "A high-risk review item older than this is marked overdue in the queue."
    ),
    "HEARTH_QUEUE_OVERDUE_MINUTES": Var(parse_int, "1440", "Any other review item older than this is overdue."),
    "HEARTH_REPORTS_PER_HOUR": Var(parse_int, "10", "Reports one member may file in an hour before a calm pause."),
    "HEARTH_TRUSTED_PROXIES": Var(
        parse_networks, "", "Proxies (IPs or networks) whose X-Forwarded-For is believed; empty: none."
    ),
    "HEARTH_LIMIT_REPLIES": Var(parse_rate, "30/h", "Replies one member may post (new members: a share)."),
    "HEARTH_LIMIT_THREADS": Var(parse_rate, "6/h", "Threads one member may start (new members: a share)."),
    "HEARTH_LIMIT_EDITS": Var(parse_rate, "30/h", "Edits one member may save (new members: a share)."),
    "HEARTH_LIMIT_REACTIONS": Var(parse_rate, "120/h", "Thanks and 'me too' one member may give or take back."),
    "HEARTH_LIMIT_SIGNUPS": Var(parse_rate, "10/h", "Accounts that may be created from one address."),
    "HEARTH_LIMIT_SIGNIN_FAILURES": Var(
        parse_rate, "5/5m", "Wrong passwords for one account from one address before a pause."
    ),
    "HEARTH_LIMIT_SIGNIN_FAILURES_PER_ADDRESS": Var(
        parse_rate, "20/10m", "Wrong passwords from one address, whatever the account, before a pause."
    ),
    "HEARTH_LIMIT_NEW_MEMBER_DAYS": Var(parse_int, "3", "Days after joining during which the lower limits apply."),
    "HEARTH_LIMIT_NEW_MEMBER_DIVISOR": Var(
        parse_int, "3", "A new member's limits are the member limits divided by this (at least 1)."
    ),
    "HEARTH_LIMIT_ADDRESS_MULTIPLE": Var(
        parse_int, "3", "One address may do this many times a member's limit (people share addresses)."
    ),
    "HEARTH_UNANSWERED_T1": Var(
        parse_duration, "2h", "An unanswered thread joins 'Waiting for a reply' and its helpers are asked."
    ),
    "HEARTH_UNANSWERED_T2": Var(
        parse_duration, "12h", "An unanswered thread goes to the moderators' queue (always under 24h)."
    ),
    "HEARTH_UNANSWERED_EVERY": Var(
        parse_duration, "", "How often the rescue runs; empty: 5m, or T1/6 when that is shorter."
    ),
    "HEARTH_HELPER_DAILY_LIMIT": Var(
        parse_int, "3", "Most helper or welcomer requests one volunteer gets in 24 hours."
    ),
    "HEARTH_SITE_URL": Var(
        parse_str, "http://127.0.0.1:8000", "Public address of Hearth, for links in emails (no trailing slash)."
    ),
    "HEARTH_DIGEST_HOUR": Var(parse_int, "7", "Hour of the day (UTC, 0-23) the daily notification email goes out."),
    "HEARTH_RETENTION_IP_DAYS": Var(
        parse_int, "30", "Days the keyed hashes of sign-in addresses are kept for abuse handling, then purged."
    ),
    "HEARTH_RETENTION_NOTIFICATIONS_DAYS": Var(
        parse_int, "90", "Days a notification is kept after it was read, then purged (unread ones stay)."
    ),
    "HEARTH_ERASURE_GRACE_DAYS": Var(
        parse_int, "7", "Days between a member asking to delete their account and its erasure; signing in cancels."
    ),
    "HEARTH_EXPORT_DAYS": Var(parse_int, "7", "Days a member's data download stays available, then it is deleted."),
    "HEARTH_ADDRESS_HASH_KEY": Var(
        parse_str, "", "Key for the keyed hashes of addresses; empty: derived from SECRET_KEY."
    ),
    "HEARTH_SECURITY_CONTACT": Var(
        parse_str, "", "Where to report a vulnerability (mailto: or https: URL), for /.well-known/security.txt."
    ),
    "HEARTH_BENCH": Var(
        parse_bool,
        "false",
        "Benchmark mode for bench/ only: serves /bench/ceiling/ and counts SQL queries per request on demand.",
    ),
    "LOG_LEVEL": Var(parse_str, "INFO", "Root log level.", choices=("DEBUG", "INFO", "WARNING", "ERROR")),
    "PORT": Var(parse_int, "8000", "Port for `make run` (read by the launcher, not by Django)."),
}

# Variables that belong to other tools and are read by them, not by Hearth's settings.
_FOREIGN_HEARTH_PREFIXED: frozenset[str] = frozenset()


def check_unknown(environ: Mapping[str, str]) -> None:
    """Refuse HEARTH_* names that are not declared: they are almost certainly typos."""
    unknown = sorted(
        name
        for name in environ
        if name.startswith("HEARTH_") and name not in VARIABLES and name not in _FOREIGN_HEARTH_PREFIXED
    )
    if unknown:
        raise ImproperlyConfigured(
            "Unknown setting(s) in the environment: "
            + ", ".join(unknown)
            + ". Check the spelling against docs/configuration.md."
        )


def get(name: str, environ: Mapping[str, str] | None = None) -> Any:
    """Return the parsed value of a declared variable, or its parsed default."""
    environ = os.environ if environ is None else environ
    var = VARIABLES[name]
    raw = environ.get(name)
    if raw is None:
        if var.default is None:
            return None
        raw = var.default
    value = var.parse(name, raw)
    if var.choices and value not in var.choices:
        raise ImproperlyConfigured(f"{name}={raw!r} must be one of: {', '.join(var.choices)}.")
    return value
