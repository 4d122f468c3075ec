"""``manage.py check_counters [--repair]``: compare the forum's denormalised counters with the rows."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from forum.counters import check_counters


class Command(BaseCommand):
    help = (
        "Recompute thread, subforum, content-note and member counters from the posts and compare them "
        "with the stored ones. With --repair, store the recomputed values where they differ."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="Put right every counter that differs.")

    def handle(self, *args, **options):
        report = check_counters(repair=options["repair"], progress=lambda line: self.stdout.write(f"  {line}"))
        checked = ", ".join(f"{n:,} {what}" for what, n in report.checked.items())
        if report.ok:
            self.stdout.write(self.style.SUCCESS(f"Every counter agrees with the rows ({checked})."))
            return
        for what, n in sorted(report.wrong.items()):
            self.stdout.write(f"  {what}: {n:,} differ")
        for example in report.examples:
            self.stdout.write(f"    {example}")
        if options["repair"]:
            self.stdout.write(self.style.SUCCESS(f"Repaired the counters above ({checked})."))
            return
        raise CommandError("Some counters differ from the rows: run again with --repair to put them right.")
