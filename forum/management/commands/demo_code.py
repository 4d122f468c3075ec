from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.second_factor import authenticator_code_now
from forum.demo import demo_staff_second_factors


class Command(BaseCommand):
    help = "Print the codes the demo's admin and moderator authenticator apps show now (embedded demo only)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            # A production install has real staff; their codes live only on their own phones.
            raise CommandError("demo_code is for the embedded demo only, not for production.")
        keys = demo_staff_second_factors()
        if not keys:
            raise CommandError("The demo community is not loaded: run `make demo` first.")
        for staff in keys:
            self.stdout.write(f"{staff.role:<10} {staff.email:<28} {authenticator_code_now(staff.key)}")
        self.stdout.write("Codes change every 30 seconds, and each works once.")
