"""accounts.client_address: X-Forwarded-For is believed only from the configured proxies, and the
client is the right-most address they did not add themselves."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from accounts.client_address import client_address


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.HEARTH_TRUSTED_PROXIES = []
    assert client_address(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_a_header_from_a_connection_that_is_not_a_trusted_proxy_is_ignored(settings):
    settings.HEARTH_TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_address(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_address_it_appended_is_the_client(settings):
    settings.HEARTH_TRUSTED_PROXIES = ["10.0.0.1"]
    # The client made up the left-most entry; the proxy appended what it saw.
    assert client_address(_request("10.0.0.1", "1.2.3.4, 203.0.113.7")) == "203.0.113.7"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    settings.HEARTH_TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8::/32"]
    request = _request("10.0.0.1", "6.6.6.6, 203.0.113.7, 10.1.2.3, 2001:db8::5")
    assert client_address(request) == "203.0.113.7"


def test_all_hops_trusted_gives_the_left_most(settings):
    settings.HEARTH_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request("10.0.0.1", "10.9.9.9, 10.0.0.2")) == "10.9.9.9"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("203.0.113.7:51234", "203.0.113.7"),
        ("[2001:db8::9]:443", "2001:db8::9"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("not-an-address", "10.0.0.1"),  # a trusted proxy passing nonsense: stop at the proxy
        ("", "10.0.0.1"),
    ],
)
def test_odd_entries(settings, forwarded, expected):
    settings.HEARTH_TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_address(_request("10.0.0.1", forwarded)) == expected


def test_a_bad_trusted_proxies_value_stops_start_up():
    from django.core.exceptions import ImproperlyConfigured

    from config import env

    with pytest.raises(ImproperlyConfigured, match="HEARTH_TRUSTED_PROXIES"):
        env.get("HEARTH_TRUSTED_PROXIES", {"HEARTH_TRUSTED_PROXIES": "10.0.0.1,proxy.local"})
    assert env.get("HEARTH_TRUSTED_PROXIES", {"HEARTH_TRUSTED_PROXIES": "10.0.0.1, 172.28.80.0/24"}) == [
        "10.0.0.1",
        "172.28.80.0/24",
    ]
