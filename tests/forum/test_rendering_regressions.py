"""Regressions for renderer bugs that the attack tests found (linkified schemes, encoded direction overrides)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from forum.rendering import render_post
from tests.forum.test_rendering import FRAGMENTS, assert_safe, links, url_scheme

# 1. Linkify runs after bleach and uses bleach's default protocol list (afs, data, ed2k, feed, ftp,
#    irc, ..., xmpp), so plain text becomes links the allowlist would have removed.


@pytest.mark.parametrize("source", ["data:example.com", "see data://example.com/x", "DATA:example.org/a,b"])
def test_plain_text_data_urls_are_not_turned_into_links(source):
    html = render_post(source)
    assert all(url_scheme(a.get("href") or "") != "data" for a in links(html)), html


@pytest.mark.parametrize(
    "source", ["ftp://example.com/x", "irc://example.com/room", "feed:example.com", "xmpp://example.com", "ssh://h.io"]
)
def test_bare_urls_become_links_only_for_http_and_https(source):
    for attrs in links(render_post(source)):
        assert url_scheme(attrs["href"]) in ("http", "https", ""), attrs


DOMAIN_FRAGMENTS = [*FRAGMENTS, "://", "//", "example.com", ".org", "www.", "ftp:", "data://"]


@hypothesis_settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(DOMAIN_FRAGMENTS), st.text(max_size=4)), max_size=30).map("".join))
@example("data:example.com")
def test_adversarial_input_with_domains_never_yields_a_dangerous_href(source):
    assert_safe(render_post(source))


# 2. Direction overrides and zero-width spaces are stripped from the source, but Markdown decodes
#    character references afterwards, so "&#x202E;" puts a live U+202E into the page.

INVISIBLE = re.compile("[\u200b\u202a-\u202e\u2066-\u2069\ufeff]")


@pytest.mark.parametrize(
    "source",
    [
        "&#x202E;txt.exe",
        "&#8238;gnp.exe",
        "zero&#8203;width",
        "&#x2066;isolate&#x2069;",
        "&#xFEFF;bom",
        "[&#x202e;](https://example.org)",
    ],
)
def test_direction_overrides_written_as_character_references_are_stripped(source):
    html = render_post(source)
    assert INVISIBLE.search(html) is None, repr(html)


# 3. Cosmetic: bare URLs inside code are linkified, so `http://example.com` in a code span turns into a link.
