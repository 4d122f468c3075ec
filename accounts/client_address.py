"""The address a request came from: the one answer every limit and allauth use.

``X-Forwarded-For`` is written by whoever sends the request, so it is believed only when the
connection comes from a proxy named in ``HEARTH_TRUSTED_PROXIES``. A proxy *appends* the
address it saw to whatever the client sent, so the client's own address is the right-most entry
that none of our proxies added: everything left of it may be made up. Uvicorn runs with
``--no-proxy-headers``, so ``REMOTE_ADDR`` is the real connection and this module does the rest.
"""

from __future__ import annotations

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Peers already warned about (a forwarded header from a connection that is not a trusted proxy):
# one warning per peer and process is enough to point an operator at the setting.
_warned_peers: set[str] = set()
_WARN_AT_MOST = 20


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in proxies)


def _parse(value: str) -> IPAddress | None:
    """An address from a header entry or REMOTE_ADDR; tolerates a port and IPv6 brackets."""
    value = value.strip().strip('"')
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.7:51234
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: IPAddress, proxies: tuple[IPNetwork, ...]) -> bool:
    return any(address in network for network in proxies)


def client_address(request: HttpRequest) -> str:
    """The client's IP address as a string ("" only if the server gave none)."""
    raw_peer = request.META.get("REMOTE_ADDR") or ""
    peer = _parse(raw_peer)
    if peer is None:
        return raw_peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    proxies = _networks(tuple(settings.HEARTH_TRUSTED_PROXIES))
    if not _trusted(peer, proxies):
        if forwarded and raw_peer not in _warned_peers and len(_warned_peers) < _WARN_AT_MOST:
            _warned_peers.add(raw_peer)
            logger.warning(
                "Ignoring X-Forwarded-For from %s, which is not in HEARTH_TRUSTED_PROXIES; if it is "
                "your proxy, add it there, or every member will share its address.",
                raw_peer,
            )
        return str(peer)
    address = peer
    for entry in reversed(forwarded.split(",")):
        if not entry.strip():
            continue
        hop = _parse(entry)
        if hop is None:  # a trusted proxy passed on something that is no address: stop here
            break
        address = hop
        if not _trusted(hop, proxies):
            break  # the first address our proxies did not add themselves: the client
    return str(address)
