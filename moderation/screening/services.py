"""Writes to the rule set. Every change goes through here so that the version moves."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F

from .models import RuleSetVersion, ScreeningRule


def ruleset_version_bump() -> RuleSetVersion:
    """Move the rule-set version on (creating the row the first time)."""
    version, _ = RuleSetVersion.objects.get_or_create(pk=1)
    RuleSetVersion.objects.filter(pk=1).update(number=F("number") + 1)
    version.refresh_from_db()
    version.save(update_fields=["changed_at"])
    return version


@transaction.atomic
def screening_rule_save(*, rule: ScreeningRule) -> ScreeningRule:
    """Create or update a rule and bump the version. Validate first (``forms`` or
    ``engine.check_rule``): this saves what it is given."""
    rule.save()
    ruleset_version_bump()
    return rule


@transaction.atomic
def screening_rules_delete(*, rules: Iterable[ScreeningRule]) -> int:
    """Delete rules and bump the version once. Returns how many were deleted."""
    ids = [r.pk for r in rules]
    deleted, _ = ScreeningRule.objects.filter(pk__in=ids).delete()
    ruleset_version_bump()
    return deleted


@transaction.atomic
def screening_rules_set_enabled(*, rules: Iterable[ScreeningRule], enabled: bool) -> int:
    """Switch rules on or off and bump the version once."""
    ids = [r.pk for r in rules]
    changed = ScreeningRule.objects.filter(pk__in=ids).update(enabled=enabled)
    ruleset_version_bump()
    return changed
