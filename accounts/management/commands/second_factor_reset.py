from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User


class Command(BaseCommand):
    help = (
        "Remove a member's authenticator app and recovery codes, for someone who lost both. They sign in "
        "with their password and, if they are staff, set up a new app before the staff pages open."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account uses {email}.")
        removed, _ = Authenticator.objects.filter(user=user).delete()
        self.stdout.write(f"Removed {removed} two-step sign-in method(s) from {user.pseudonym}'s account.")
