from django.core.management.base import BaseCommand

from forum.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo community (safe to run again: it does nothing the second time)."

    def handle(self, *args, **options):
        result = load_demo()
        verb = "Loaded" if result.created else "Already loaded:"
        self.stdout.write(self.style.SUCCESS(f"{verb} the Hearth demo community."))
        self.stdout.write(
            "Sign in at /accounts/login/ with:\n"
            f"  admin      {result.admin_email}  /  {result.password}   (admin pages at /admin/)\n"
            f"  moderator  {result.moderator_email}  /  {result.password}\n"
            f"  member     {result.member_email}  /  {result.password}\n"
        )
