from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from accounts.pseudonyms import MAX_LENGTH, validate_pseudonym

RESTRICTION_LABELS = {"mute": "read-only", "suspend": "suspended", "ban": "banned from posting"}


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("is_moderator", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A signed-up person. Other members only ever see ``pseudonym``; ``email`` is private.

    There is no username: members sign in by email, and the public name is the pseudonym.
    """

    email = models.EmailField("email address", max_length=254, unique=True)
    pseudonym = models.CharField(max_length=MAX_LENGTH, validators=[validate_pseudonym])
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May open the admin.")
    is_moderator = models.BooleanField(default=False, help_text="May open the review queue and act.")
    date_joined = models.DateTimeField(default=timezone.now)
    post_count = models.PositiveIntegerField(default=0, help_text="Published posts, kept by forum services.")
    # Welcome onboarding (issue 3): the guidelines version accepted gates posting.
    onboarding_completed_at = models.DateTimeField(null=True, blank=True)
    guidelines_version_accepted = models.PositiveIntegerField(default=0)
    guidelines_accepted_at = models.DateTimeField(null=True, blank=True)
    # A moderator's mute, suspension or ban, kept here (by accounts.services, called by moderation's
    # sanctions) so every page that offers posting can say why and until when without a query.
    restriction_kind = models.CharField(max_length=10, blank=True, help_text="mute, suspend or ban; empty: none.")
    restriction_until = models.DateTimeField(null=True, blank=True, help_text="Empty with a kind: until lifted.")
    restriction_reason = models.CharField(max_length=400, blank=True)
    # Account deletion (privacy/erasure.py): asked for at ``erasure_requested_at``, carried out
    # after HEARTH_ERASURE_GRACE_DAYS unless the member signs in first (which clears it).
    erasure_requested_at = models.DateTimeField(null=True, blank=True)
    erasure_mode = models.CharField(
        max_length=8, blank=True, choices=[("erase", "Erase my posts"), ("keep", "Keep my posts as a former member")]
    )
    erased_at = models.DateTimeField(null=True, blank=True, help_text="Set once the account was erased.")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["pseudonym"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.UniqueConstraint(Lower("pseudonym"), name="accounts_user_pseudonym_ci_unique"),
        ]
        indexes = [
            models.Index(
                fields=["erasure_requested_at"],
                name="accounts_erasure_due",
                condition=models.Q(erasure_requested_at__isnull=False, erased_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.pseudonym

    def get_absolute_url(self) -> str:
        return reverse("forum:profile", kwargs={"pseudonym": self.pseudonym})

    def get_short_name(self) -> str:
        return self.pseudonym

    def get_full_name(self) -> str:
        return self.pseudonym

    @property
    def is_new_member(self) -> bool:
        """True during the first HEARTH_NEW_MEMBER_DAYS, so peers know to welcome them."""
        return timezone.now() - self.date_joined < timedelta(days=settings.HEARTH_NEW_MEMBER_DAYS)

    @property
    def is_forum_staff(self) -> bool:
        return self.is_moderator or self.is_superuser

    @property
    def posting_restriction(self) -> str:
        """A calm sentence saying why and until when this member can't post, or "" when they can."""
        if not self.restriction_kind:
            return ""
        if self.restriction_until is not None and self.restriction_until <= timezone.now():
            return ""
        label = RESTRICTION_LABELS.get(self.restriction_kind, "restricted")
        until = f" until {self.restriction_until:%d %B %Y, %H:%M} UTC" if self.restriction_until else ""
        return (
            f"Your account is {label}{until}, so you can read but not post. {self.restriction_reason} "
            "Your notifications explain the decision and how to appeal it."
        )


class AddressRecord(models.Model):
    """An address a member signed in from, kept only for abuse handling (ban evasion, many accounts
    from one place) and only as a keyed hash: nobody can read the address back, but the same
    address gives the same hash, so an admin can see which accounts share one. Purged after
    HEARTH_RETENTION_IP_DAYS by the retention job (privacy/retention.py)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    address_hash = models.CharField(max_length=64, help_text="HMAC-SHA256 of the address (accounts/addresses.py).")
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["seen_at"], name="accounts_address_age"),
            models.Index(fields=["address_hash", "seen_at"], name="accounts_address_hash"),
            models.Index(fields=["member", "seen_at"], name="accounts_address_member"),
        ]

    def __str__(self) -> str:
        return f"Sign-in of {self.member_id} at {self.seen_at:%Y-%m-%d %H:%M}"
