"""Writes to the rule set. Every change goes through here so that the version moves."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from django.db import transaction
from django.db.models import F

from .models import RuleSetVersion, ScreeningRule
from .types import RuleSpec

DEFAULT_NOTE = "Hearth default rule set; see docs/screening.md."


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


@transaction.atomic
def screening_defaults_add_missing(*, specs: Iterable[RuleSpec]) -> tuple[list[str], list[str]]:
    """Add the default rules whose names the database does not hold, and bump the version
    once if any was added. Rules the database already holds are never touched: admins own
    them, whether they edited, switched off or kept them. Returns (added names, names whose
    database value differs from the default) so that an admin can review the second list.
    """
    existing = {r.name: r for r in ScreeningRule.objects.all()}
    added: list[str] = []
    differs: list[str] = []
    new_rows = []
    for spec in specs:
        row = existing.get(spec.name)
        if row is None:
            new_rows.append(ScreeningRule.from_spec(spec, note=DEFAULT_NOTE))
            added.append(spec.name)
        elif replace(row.to_spec(), enabled=spec.enabled) != spec:
            # A rule switched off is the admin's choice, not a difference in the rule.
            differs.append(spec.name)
    if new_rows:
        ScreeningRule.objects.bulk_create(new_rows)
        ruleset_version_bump()
    return added, differs
