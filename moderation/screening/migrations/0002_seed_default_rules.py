"""Seed the default rule set (moderation/screening/defaults/rules.json) and version 1.

Reads the shipped file at migration time, so a fresh database gets the defaults current
then; later edits to the file do not touch an existing database (admins own their rules).
"""

import json
from pathlib import Path

from django.db import migrations

RULES = Path(__file__).resolve().parent.parent / "defaults" / "rules.json"


def seed(apps, schema_editor):
    Rule = apps.get_model("screening", "ScreeningRule")
    Version = apps.get_model("screening", "RuleSetVersion")
    rows = json.loads(RULES.read_text(encoding="utf-8"))
    Rule.objects.bulk_create(
        [
            Rule(
                name=row["name"],
                category=row["category"],
                level=row["level"],
                kind=row["kind"],
                role=row["role"],
                value=row["value"],
                enabled=True,
                note="Hearth default rule set; see docs/screening.md.",
            )
            for row in rows
        ],
        ignore_conflicts=True,
    )
    version, _ = Version.objects.get_or_create(pk=1)
    version.number += 1
    version.save()


def unseed(apps, schema_editor):
    apps.get_model("screening", "ScreeningRule").objects.all().delete()
    apps.get_model("screening", "RuleSetVersion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
