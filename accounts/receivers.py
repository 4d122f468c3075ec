"""What happens whenever a member signs in, by any door (allauth's form, the admin, a reset link).

A signal is used on purpose (style habit 5): signing in is the account's lifecycle, and every
sign-in path sends ``user_logged_in``, so no door can forget to cancel a pending deletion.
"""

from __future__ import annotations

from django.contrib import messages

from accounts.addresses import address_record_sign_in
from accounts.services import member_cancel_erasure

ERASURE_CANCELLED = (
    "Welcome back. Your account will not be deleted: signing in cancelled the request. "
    "You can ask again at any time from your settings."
)


def member_signed_in(sender, request, user, **kwargs) -> None:
    if member_cancel_erasure(user=user) and request is not None:
        messages.info(request, ERASURE_CANCELLED, fail_silently=True)
    if request is not None:
        address_record_sign_in(member=user, request=request)
