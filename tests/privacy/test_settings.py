"""The retention and security-contact settings refuse values that would quietly do harm."""

from __future__ import annotations

import pytest

from tests.test_settings import manage


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("HEARTH_RETENTION_IP_DAYS", "0", "HEARTH_RETENTION_IP_DAYS must be at least 1 day"),
        ("HEARTH_ERASURE_GRACE_DAYS", "-1", "HEARTH_ERASURE_GRACE_DAYS must be 0 or more"),
        ("HEARTH_SECURITY_CONTACT", "security@hearth.example", "mailto: or https://"),
    ],
)
def test_a_harmful_privacy_setting_stops_start_up_saying_why(variable, value, message):
    result = manage("check", **{variable: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_a_security_contact_to_follow_is_accepted():
    assert manage("check", HEARTH_SECURITY_CONTACT="mailto:security@hearth.example").returncode == 0
