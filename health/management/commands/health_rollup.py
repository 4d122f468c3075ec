from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from health import rollup


class Command(BaseCommand):
    help = "Compute forum-health figures for the last N weeks (the nightly task does the last two)."

    def add_arguments(self, parser):
        parser.add_argument("--weeks", type=int, default=12)

    def handle(self, *args, weeks: int, **options):
        now = timezone.now()
        start = rollup.week_start(now)
        rows = sum(len(rollup.rollup_week(start=start - timedelta(weeks=n), now=now)) for n in range(weeks))
        self.stdout.write(f"Forum health: {rows} rows for {weeks} weeks.")
