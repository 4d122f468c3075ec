"""Thanks and "me too": one form post toggles a reaction. Works without JavaScript (redirect
back to the post); static/js/reactions.js asks for JSON and updates the button in place.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts import limits
from accounts.client_address import client_address
from forum import reactions, selectors


@login_required
@require_POST
def post_react(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.post_for_viewer(post_id=post_id, user=request.user)
    kind = request.POST.get("kind", "")
    if post is None or kind not in reactions.KINDS:
        raise Http404
    reactions.check_can_react(request.user, post)  # PermissionDenied: a calm 403 page
    wants_json = "application/json" in request.headers.get("Accept", "")
    limited = limits.member_action("reaction", member=request.user, address=client_address(request))
    if limited is not None:
        if wants_json:
            return JsonResponse({"message": limited.message}, status=429)
        messages.info(request, limited.message)
        return redirect(post)
    on = reactions.reaction_toggle(member=request.user, post=post, kind=kind)
    if wants_json:
        return JsonResponse({"kind": kind, "on": on, "count": reactions.reaction_count(post=post, kind=kind)})
    return redirect(post)
