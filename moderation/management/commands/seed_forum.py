"""``manage.py seed_forum``: a large synthetic community for benchmarks (see forum/seeding.py)."""

from __future__ import annotations

import time
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from forum.seeding import SEED_EMAIL_DOMAIN, SEED_PASSWORD, SeedPlan, seed_community
from moderation.seeding import seed_queue


class Command(BaseCommand):
    help = (
        "Fill the database with a realistic synthetic community for benchmarks: members, a shallow "
        "subforum tree, threads with threaded replies, content notes, reactions, reports and a review "
        "queue. Deterministic for a --seed. Refuses to run twice on the same database."
    )

    def add_arguments(self, parser):
        defaults = SeedPlan()
        parser.add_argument("--members", type=int, default=defaults.members)
        parser.add_argument("--threads", type=int, default=defaults.threads)
        parser.add_argument(
            "--posts", type=int, default=defaults.posts, help="All posts, opening posts included (big thread apart)."
        )
        parser.add_argument(
            "--big-thread-replies",
            type=int,
            default=defaults.big_thread_replies,
            help="Replies in one extra long thread (0: none).",
        )
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument(
            "--anchor",
            type=datetime.fromisoformat,
            default=None,
            help="The community's 'now' (ISO 8601, with a time zone); default: the start of this hour.",
        )

    def handle(self, *args, **options):
        if options["members"] < 1 or options["threads"] < 1:
            raise CommandError("Please ask for at least one member and one thread.")
        if get_user_model().objects.filter(email__endswith=f"@{SEED_EMAIL_DOMAIN}").exists():
            raise CommandError("This database is already seeded. Use a fresh database to seed again.")
        plan = SeedPlan(
            members=options["members"],
            threads=options["threads"],
            posts=options["posts"],
            big_thread_replies=options["big_thread_replies"],
            seed=options["seed"],
            anchor=options["anchor"],
        )
        started = time.monotonic()
        result = seed_community(plan, progress=lambda line: self.stdout.write(f"  {line}"))
        opened = seed_queue(result, seed=plan.seed)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {len(result.member_ids):,} members, {result.threads:,} threads, {result.posts:,} posts, "
                f"{result.reactions:,} reactions and {sum(opened.values()):,} open review items in {elapsed:.0f} s."
            )
        )
        self.stdout.write(f"  open review items by kind: {opened}")
        if result.big_thread_id:
            self.stdout.write(f"  the long thread: /t/{result.big_thread_id}/")
        self.stdout.write(
            f"  sign in as a moderator: {result.first_moderator_email} / {SEED_PASSWORD}\n"
            f"  sign in as a member:    {result.first_member_email} / {SEED_PASSWORD}"
        )
