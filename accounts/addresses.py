"""Network addresses: read once, kept only as a keyed hash, only for abuse handling.

An address can locate or identify a member, so Hearth never stores one as it is. What it keeps
(``AddressRecord``) is an HMAC-SHA256 of the address under a key only the server knows
(HEARTH_ADDRESS_HASH_KEY, or one derived from SECRET_KEY): the same address always gives the same
hash, so an admin can see that two accounts signed in from one place, but the hash cannot be
turned back into an address without the key, and a list of every IPv4 address hashed with a
guessed key is useless. Records are purged after HEARTH_RETENTION_IP_DAYS (privacy/retention.py).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from accounts.client_address import client_address
from accounts.models import AddressRecord, User


def _hash_key() -> bytes:
    dedicated = getattr(settings, "HEARTH_ADDRESS_HASH_KEY", "")
    if dedicated:
        return dedicated.encode()
    # Derived, not the SECRET_KEY itself: a leaked hash key must not let anyone sign sessions.
    return hashlib.sha256(b"hearth.address-hash:" + settings.SECRET_KEY.encode()).digest()


def address_hash(address: str) -> str:
    """The keyed hash stored instead of ``address`` (hex, 64 characters); "" for no address."""
    if not address:
        return ""
    return hmac.new(_hash_key(), address.strip().lower().encode(), hashlib.sha256).hexdigest()


def address_record_sign_in(*, member: User, request: HttpRequest) -> AddressRecord | None:
    """Keep the hash of the address ``member`` signed in from (nothing when there is none)."""
    hashed = address_hash(client_address(request))
    if not hashed:
        return None
    return AddressRecord.objects.create(member=member, address_hash=hashed)


def members_sharing_address(*, member: User, limit: int = 20) -> list[User]:
    """Other accounts that signed in from an address ``member`` used, within the retention period.

    For admins handling abuse (a banned member back under a new pseudonym); never shown to members.
    """
    since = timezone.now() - timedelta(days=settings.HEARTH_RETENTION_IP_DAYS)
    hashes = AddressRecord.objects.filter(member=member, seen_at__gte=since).values("address_hash")
    member_ids = (
        AddressRecord.objects.filter(address_hash__in=hashes, seen_at__gte=since)
        .exclude(member=member)
        .values("member_id")
    )
    return list(User.objects.filter(pk__in=member_ids).order_by("pseudonym")[:limit])


def address_records_purge(*, older_than) -> int:
    """Delete address hashes recorded before ``older_than`` (retention); returns how many."""
    deleted, _ = AddressRecord.objects.filter(seen_at__lt=older_than).delete()
    return deleted
