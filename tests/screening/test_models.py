"""The shipped default rules fit the database columns (SQLite does not enforce lengths; PostgreSQL does)."""

import json
from pathlib import Path

from moderation.screening.models import ScreeningRule

RULES_FILE = Path(__file__).resolve().parents[2] / "moderation" / "screening" / "defaults" / "rules.json"


def test_every_default_rule_fits_its_columns():
    data = json.loads(RULES_FILE.read_text())
    rules = data["rules"] if isinstance(data, dict) else data
    limits = {
        field.name: field.max_length for field in ScreeningRule._meta.get_fields() if getattr(field, "max_length", None)
    }
    too_long = [
        (rule.get("name"), key, len(value))
        for rule in rules
        for key, value in rule.items()
        if isinstance(value, str) and key in limits and len(value) > limits[key]
    ]
    assert too_long == []
