"""Password rules of Hearth's own, next to Django's (AUTH_PASSWORD_VALIDATORS in settings).

Two guesses an attacker tries first on a forum: the member's public name, which everyone can
read beside their posts, and any password Hearth itself has published (the demo's). Django's
UserAttributeSimilarityValidator knows nothing of ``pseudonym``, so it let "QuietHeron" be
QuietHeron's password.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from django.contrib.auth.password_validation import UserAttributeSimilarityValidator
from django.core.exceptions import ValidationError

# The password `make run` prints and the README lists for the demo accounts: anyone can read it.
DEMO_PASSWORD = "hearth-demo-2026"  # noqa: S105 - published on purpose, hence refused for members
PUBLISHED_PASSWORDS = (DEMO_PASSWORD,)

# Digits and symbols people swap for letters ("Qu1etHer0n"), folded before comparing.
_LOOKALIKES = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "$": "s", "@": "a"})


def _folded(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower().translate(_LOOKALIKES))


PSEUDONYM_TOO_CLOSE = (
    "That password is very close to your pseudonym, which everyone on Hearth can see. "
    "Please choose something that others couldn't guess from your posts."
)


def password_close_to_pseudonym(*, password: str, pseudonym: str, max_similarity: float = 0.7) -> bool:
    """True when the password contains the pseudonym or is nearly it, look-alike digits folded."""
    folded_password, folded_name = _folded(password), _folded(pseudonym)
    if len(folded_name) < 3 or not folded_password:
        return False
    if folded_name in folded_password:
        return True  # "QuietHeron!" or "my-QuietHeron-2026"
    return SequenceMatcher(a=folded_password, b=folded_name).ratio() >= max_similarity


class PseudonymSimilarityValidator(UserAttributeSimilarityValidator):
    """Django's similarity check, told about the pseudonym: refuses a password close to it (or to the email)."""

    DEFAULT_USER_ATTRIBUTES = ("pseudonym", "email")

    def validate(self, password: str, user=None) -> None:
        pseudonym = getattr(user, "pseudonym", "") or ""
        if password_close_to_pseudonym(password=password, pseudonym=pseudonym, max_similarity=self.max_similarity):
            raise ValidationError(PSEUDONYM_TOO_CLOSE, code="password_too_similar")
        super().validate(password, user)

    def get_help_text(self) -> str:
        return "Your password can't be close to your pseudonym or your email address."


class PublishedPasswordValidator:
    """Refuse the passwords Hearth publishes (the demo's), whatever their case or punctuation."""

    def validate(self, password: str, user=None) -> None:
        if _folded(password) in {_folded(published) for published in PUBLISHED_PASSWORDS}:
            raise ValidationError(
                "That password is printed in Hearth's demo instructions, so anyone could try it. "
                "Please choose one of your own.",
                code="password_published",
            )

    def get_help_text(self) -> str:
        return "Your password can't be one that Hearth publishes, such as the demo's."
