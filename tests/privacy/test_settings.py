"""The retention and security-contact settings refuse values that would quietly do harm."""

from __future__ import annotations

from tests.test_settings import manage


def test_a_retention_period_of_zero_days_is_refused():
    result = manage("check", HEARTH_RETENTION_IP_DAYS="0")
    assert result.returncode != 0
    assert "HEARTH_RETENTION_IP_DAYS must be at least 1 day" in result.stderr


def test_a_negative_grace_period_is_refused():
    result = manage("check", HEARTH_ERASURE_GRACE_DAYS="-1")
    assert result.returncode != 0
    assert "HEARTH_ERASURE_GRACE_DAYS must be 0 or more" in result.stderr


def test_a_security_contact_must_be_an_address_to_follow():
    result = manage("check", HEARTH_SECURITY_CONTACT="security@hearth.example")
    assert result.returncode != 0
    assert "mailto: or https://" in result.stderr
    assert manage("check", HEARTH_SECURITY_CONTACT="mailto:security@hearth.example").returncode == 0
