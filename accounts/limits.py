"""How often a member, or an address, may do something: counters in the shared cache.

Each limit is a fixed window in Django's cache (Redis in production, shared by every process):
the key names the action, who (a member or a hashed address) and the window, ``incr`` counts
atomically, and the key expires with its window. An address is counted as well as the member,
because one person can open many accounts; an address gets ``HEARTH_LIMIT_ADDRESS_MULTIPLE``
times a member's allowance, because households, libraries and phone networks share addresses.
Members in their first ``HEARTH_LIMIT_NEW_MEMBER_DAYS`` days get a share of it
(``HEARTH_LIMIT_NEW_MEMBER_DIVISOR``), except for reports; forum staff are not limited.

Wrong passwords are counted per (account, address) and per address, never per account alone, so
a stranger's guesses from elsewhere can never keep a member out of their own account.

If the cache cannot be reached, every limit lets the request through and logs a warning: a
support forum that refuses to post because a counter is down fails the wrong way.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import math
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from accounts.roles import is_forum_staff
from config.env import Rate

logger = logging.getLogger(__name__)

try:  # the cache's connection errors, when the cache is Redis
    from redis.exceptions import RedisError as _RedisError
except ImportError:  # pragma: no cover - redis is a dependency
    _RedisError = OSError
CACHE_ERRORS: tuple[type[BaseException], ...] = (_RedisError, OSError)

#: action -> the setting holding a member's Rate
MEMBER_RATE_SETTINGS = {
    "reply": "HEARTH_LIMIT_REPLIES",
    "thread": "HEARTH_LIMIT_THREADS",
    "edit": "HEARTH_LIMIT_EDITS",
    "reaction": "HEARTH_LIMIT_REACTIONS",
}


@dataclass(frozen=True)
class Limited:
    """A calm refusal: what was limited and when it may be tried again."""

    action: str
    retry_after: int  # seconds

    @property
    def wait_words(self) -> str:
        """ "about 3 minutes", "about an hour": what a person reads, never a countdown to the second."""
        minutes = max(1, math.ceil(self.retry_after / 60))
        if minutes == 1:
            return "about a minute"
        if minutes < 60:
            return f"about {minutes} minutes"
        hours = round(minutes / 60)
        return "about an hour" if hours <= 1 else f"about {hours} hours"

    @property
    def message(self) -> str:
        what = {
            "reply": "replies",
            "thread": "new threads",
            "edit": "edits",
            "reaction": "reactions",
            "report": "reports",
        }.get(self.action, "posts")
        kept = "" if self.action == "reaction" else " Everything you wrote is still here."
        return (
            f"You've sent quite a few {what} in a short time, so we've paused this for a moment. "
            f"Please try again in {self.wait_words}.{kept}"
        )


@dataclass(frozen=True)
class _Bucket:
    action: str
    who: str  # "member:12" or "address:<digest>"
    rate: Rate

    def key(self, now: float) -> tuple[str, int]:
        """The cache key of the current window and the seconds left in it."""
        window = int(now // self.rate.seconds)
        left = int((window + 1) * self.rate.seconds - now) + 1
        return f"limit:{self.action}:{self.who}:{self.rate.seconds}:{window}", left


def _address_id(address: str) -> str:
    """A keyed digest of the address (an IPv6 address by its /64, which one household holds):
    the cache never holds a member's address in the clear."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        parsed = None
    if isinstance(parsed, ipaddress.IPv6Address):
        address = str(ipaddress.IPv6Network(f"{parsed}/64", strict=False).network_address)
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
    return f"address:{digest[:24]}"


def _account_id(account: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), account.strip().lower().encode(), hashlib.sha256).hexdigest()
    return digest[:24]


def _count(buckets: list[_Bucket], *, add: bool) -> Limited | None:
    """Count one (``add``) or only look, in every bucket; the longest wait if any is over."""
    now = time.time()
    worst: Limited | None = None
    try:
        for bucket in buckets:
            key, left = bucket.key(now)
            if add:
                cache.add(key, 0, timeout=left)
                try:
                    count = cache.incr(key)
                except ValueError:  # expired between add and incr
                    cache.set(key, 1, timeout=left)
                    count = 1
                over = count > bucket.rate.amount
            else:
                over = (cache.get(key) or 0) >= bucket.rate.amount
            if over and (worst is None or left > worst.retry_after):
                worst = Limited(action=bucket.action, retry_after=left)
    except CACHE_ERRORS as error:
        logger.warning("Rate limits are off for this request: the cache is unreachable (%s).", error)
        return None
    return worst


def _member_rate(action: str, member) -> Rate | None:
    if action == "report":
        # Not lowered for new members: someone harassed in their first days must be heard.
        per_hour = settings.HEARTH_REPORTS_PER_HOUR
        return Rate(per_hour, 3600) if per_hour > 0 else None
    rate = getattr(settings, MEMBER_RATE_SETTINGS[action])
    if rate is None:
        return None
    joined = getattr(member, "date_joined", None)
    if joined is not None and timezone.now() - joined < timedelta(days=settings.HEARTH_LIMIT_NEW_MEMBER_DAYS):
        return Rate(max(1, rate.amount // settings.HEARTH_LIMIT_NEW_MEMBER_DIVISOR), rate.seconds)
    return rate


def member_action(action: str, *, member, address: str) -> Limited | None:
    """Count one ``action`` (reply, thread, edit, reaction, report) by ``member`` from
    ``address``; a ``Limited`` when the member or the address is over its allowance."""
    if is_forum_staff(member):
        return None
    member_rate = _member_rate(action, member)
    if member_rate is None:
        return None
    base = _member_rate(action, None)
    address_rate = Rate(base.amount * settings.HEARTH_LIMIT_ADDRESS_MULTIPLE, base.seconds)
    return _count(
        [
            _Bucket(action, f"member:{member.pk}", member_rate),
            _Bucket(action, _address_id(address), address_rate),
        ],
        add=True,
    )


def _signin_buckets(*, account: str, address: str) -> list[_Bucket]:
    buckets = []
    pair_rate = settings.HEARTH_LIMIT_SIGNIN_FAILURES
    if pair_rate is not None:
        buckets.append(_Bucket("signin", f"{_account_id(account)}:{_address_id(address)}", pair_rate))
    address_rate = settings.HEARTH_LIMIT_SIGNIN_FAILURES_PER_ADDRESS
    if address_rate is not None:
        buckets.append(_Bucket("signin", _address_id(address), address_rate))
    return buckets


def signin_paused(*, account: str, address: str) -> Limited | None:
    """Before a password is checked: are wrong passwords for this account from this address, or
    from this address at all, over their limit? Nothing is counted here."""
    return _count(_signin_buckets(account=account, address=address), add=False)


def signin_failed(*, account: str, address: str) -> None:
    """Count one wrong password for ``account`` (what was typed as the email) from ``address``."""
    _count(_signin_buckets(account=account, address=address), add=True)


def signin_succeeded(*, account: str, address: str) -> None:
    """The right password from this address: forget this account's wrong ones from here. The
    per-address count stays, so a guesser cannot reset it by signing in to their own account."""
    pair = _signin_buckets(account=account, address=address)[:1]
    if settings.HEARTH_LIMIT_SIGNIN_FAILURES is None:
        return
    try:
        cache.delete(pair[0].key(time.time())[0])
    except CACHE_ERRORS as error:
        logger.warning("Could not clear sign-in failures: the cache is unreachable (%s).", error)
