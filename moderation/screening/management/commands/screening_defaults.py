"""``python manage.py screening_defaults [--dry-run]``: bring new default rules into an
existing database.

The seeding migration reads ``defaults/rules.json`` once, when a database is created; rules
added to the file in later releases reach an existing database only through this command.
It adds the default rules the database does not hold (by name) and lists, without changing
them, the rules whose database version differs from the default: admins own their rules.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from moderation.screening.defaults import default_rule_specs
from moderation.screening.services import screening_defaults_add_missing


class Command(BaseCommand):
    help = "Add the shipped default screening rules that this database does not hold yet."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say what would change; change nothing.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        with transaction.atomic():
            added, differs = screening_defaults_add_missing(specs=default_rule_specs())
            if dry_run:
                transaction.set_rollback(True)
        verb = "would add" if dry_run else "added"
        self.stdout.write(f"{verb} {len(added)} default rule(s)")
        for name in added:
            self.stdout.write(f"  + {name}")
        if differs:
            self.stdout.write(
                f"{len(differs)} rule(s) differ from the shipped default and were left as they are "
                "(review them in Admin → Screening rules):"
            )
            for name in differs:
                self.stdout.write(f"  ~ {name}")
