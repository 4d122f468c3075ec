from django.core.management.base import BaseCommand

from accounts.second_factor import authenticator_code_now
from forum.demo import demo_staff_second_factors, load_demo


class Command(BaseCommand):
    help = "Load the demo community (safe to run again: it does nothing the second time)."

    def handle(self, *args, **options):
        result = load_demo()
        keys = demo_staff_second_factors()
        verb = "Loaded" if result.created else "Already loaded:"
        self.stdout.write(self.style.SUCCESS(f"{verb} the Hearth demo community."))
        self.stdout.write(
            "Sign in at /accounts/login/ with:\n"
            f"  admin      {result.admin_email}  /  {result.password}   (admin pages at /admin/)\n"
            f"  moderator  {result.moderator_email}  /  {result.password}\n"
            f"  member     {result.member_email}  /  {result.password}\n"
        )
        if keys:
            self.stdout.write(
                "Moderators and admins also type a code from an authenticator app. This install's keys\n"
                "(add one to your app with 'enter a key'), or run `.venv/bin/python manage.py demo_code`\n"
                "for the codes they show right now:"
            )
            for staff in keys:
                self.stdout.write(f"  {staff.role:<10} {staff.key}   (code now: {authenticator_code_now(staff.key)})")
