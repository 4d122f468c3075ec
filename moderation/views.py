"""Moderation pages. Adapters: fetch-and-authorise (404 for anyone who may not see the thing), call one
service, render or redirect. A stale claim or an item someone else resolved gives a calm message."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_http_methods, require_POST

from accounts import limits
from accounts.addresses import members_sharing_address
from accounts.client_address import client_address
from accounts.models import User
from accounts.selectors import member_by_pseudonym
from forum import selectors as forum_selectors
from forum.models import Post
from moderation import selectors, services
from moderation.forms import (
    AppealDecisionForm,
    AppealForm,
    ContentNotesForm,
    DismissForm,
    EmailRevealForm,
    MemberActionForm,
    ModeratorEditForm,
    PostActionForm,
    QueueFilterForm,
    ReachOutForm,
    ReportForm,
    TemplateReplyForm,
    ThreadActionForm,
)
from moderation.models import ReviewItem
from moderation.permissions import can_moderate_subforum, can_see_email, check_can_moderate
from moderation.services import actions, appeals, queue, reports, sanctions
from moderation.services.appeals import AppealRefused, appeal_deadline, can_appeal
from moderation.services.queue import QueueConflict
from moderation.services.reports import ReportRefused


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- the queue -----------------------------------------------------------------------------


@login_required
def queue_page(request: HttpRequest) -> HttpResponse:
    check_can_moderate(request.user)
    subforums = forum_selectors.subforum_tree()
    form = QueueFilterForm(request.GET or None, subforums=subforums)
    filters = form.cleaned_data if form.is_valid() else {}
    page = selectors.queue_items(
        user=request.user,
        kind=filters.get("kind") or "",
        subforum_id=filters.get("subforum"),
        status=filters.get("status") or "",
        mine=bool(filters.get("mine")),
        page_number=request.GET.get("page"),
    )
    now = timezone.now()
    return render(
        request,
        "moderation/queue.html",
        {"form": form, "page": page, "now": now, "items": [(item, item.is_overdue(now)) for item in page]},
    )


def _item_or_404(request: HttpRequest, item_id: int) -> ReviewItem:
    check_can_moderate(request.user)
    item = selectors.item_for_moderator(item_id=item_id, user=request.user)
    if item is None:
        raise Http404
    return item


@login_required
def item_detail(request: HttpRequest, item_id: int, forms: dict | None = None, status: int = 200) -> HttpResponse:
    item = _item_or_404(request, item_id)
    queue.review_item_touch(actor=request.user, item=item)
    context = selectors.item_context(item=item)
    initial = {"item": item.pk}
    forms = forms or {}
    return render(
        request,
        "moderation/item.html",
        {
            "ctx": context,
            "item": item,
            "claim_live": item.claim_is_live(),
            "overdue": item.is_overdue(),
            "post_form": forms.get("post") or PostActionForm(initial=initial),
            "thread_form": forms.get("thread") or ThreadActionForm(initial=initial),
            "member_form": forms.get("member") or MemberActionForm(initial=initial),
            "dismiss_form": forms.get("dismiss") or DismissForm(),
            "reach_out_form": forms.get("reach_out") or ReachOutForm(initial=initial),
            "appeal_form": forms.get("appeal") or AppealDecisionForm(),
            "is_own_decision": context.appeal is not None and context.appeal.action.actor_id == request.user.pk,
        },
        status=status,
    )


def _conflict(request: HttpRequest, error: QueueConflict, item_id: int | None) -> HttpResponse:
    messages.info(request, str(error))
    return redirect("moderation:item", item_id=item_id) if item_id else redirect("moderation:queue")


@login_required
@require_POST
def item_claim(request: HttpRequest, item_id: int) -> HttpResponse:
    _item_or_404(request, item_id)
    try:
        queue.review_item_claim(actor=request.user, item_id=item_id)
    except QueueConflict as error:
        return _conflict(request, error, item_id)
    messages.success(request, "You've claimed this item. The claim lapses after 15 minutes without activity.")
    return redirect("moderation:item", item_id=item_id)


@login_required
@require_POST
def item_release(request: HttpRequest, item_id: int) -> HttpResponse:
    _item_or_404(request, item_id)
    queue.review_item_release(actor=request.user, item_id=item_id)
    return redirect("moderation:queue")


@login_required
@require_POST
def item_dismiss(request: HttpRequest, item_id: int) -> HttpResponse:
    _item_or_404(request, item_id)
    form = DismissForm(request.POST)
    if not form.is_valid():
        return item_detail(request, item_id, forms={"dismiss": form}, status=422)
    try:
        queue.review_item_dismiss(
            actor=request.user, item_id=item_id, rule=form.cleaned_data["rule"], reason=form.cleaned_data["reason"]
        )
    except QueueConflict as error:
        return _conflict(request, error, item_id)
    messages.success(request, "Closed with no action, and logged.")
    return redirect("moderation:queue")


@login_required
@require_POST
def item_decide_appeal(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _item_or_404(request, item_id)
    if item.kind != ReviewItem.Kind.APPEAL:
        raise Http404
    form = AppealDecisionForm(request.POST)
    if not form.is_valid():
        return item_detail(request, item_id, forms={"appeal": form}, status=422)
    try:
        appeals.appeal_decide(
            actor=request.user,
            item_id=item_id,
            reverse=form.cleaned_data["decision"] == "reverse",
            rule=None,
            reason=form.cleaned_data["reason"],
        )
    except QueueConflict as error:
        return _conflict(request, error, item_id)
    messages.success(request, "Appeal decided and logged. The member has been told.")
    return redirect("moderation:queue")


# --- actions on posts, threads and members ---------------------------------------------------


def _post_or_404(request: HttpRequest, post_id: int) -> Post:
    check_can_moderate(request.user)
    post = forum_selectors.post_for_viewer(post_id=post_id, user=request.user)
    if post is None or not can_moderate_subforum(request.user, post.thread.subforum_id):
        raise Http404
    return post


def _back(item_id: int | None, fallback) -> HttpResponse:
    return redirect("moderation:queue") if item_id else redirect(fallback)


POST_ACTIONS = {
    "approve": actions.post_approve,
    "hold": actions.post_hold,
    "hide": actions.post_hide,
    "restore": actions.post_restore,
    "request_edit": actions.post_request_edit,
}


@login_required
@require_http_methods(["GET", "POST"])
def post_act(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    form = PostActionForm(request.POST if request.method == "POST" else None, initial={"item": request.GET.get("item")})
    if request.method == "POST" and form.is_valid():
        item_id = form.cleaned_data["item"]
        if item_id and selectors.item_for_moderator(item_id=item_id, user=request.user) is None:
            raise Http404
        try:
            POST_ACTIONS[form.cleaned_data["action"]](
                actor=request.user,
                post=post,
                rule=form.cleaned_data["rule"],
                reason=form.cleaned_data["reason"],
                item_id=item_id,
            )
        except QueueConflict as error:
            return _conflict(request, error, item_id)
        messages.success(request, "Done, and logged. The member can read why in Hearth.")
        return _back(item_id, post)
    if request.method == "POST" and form.cleaned_data.get("item"):
        return item_detail(request, form.cleaned_data["item"], forms={"post": form}, status=422)
    return render(
        request, "moderation/act.html", {"form": form, "post": post, "title": "Act on a post"},
        status=422 if form.errors else 200,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def thread_act(request: HttpRequest, thread_id: int) -> HttpResponse:
    check_can_moderate(request.user)
    thread = forum_selectors.thread_for_viewer(thread_id=thread_id, user=request.user)
    if thread is None or not can_moderate_subforum(request.user, thread.subforum_id):
        raise Http404
    form = ThreadActionForm(
        request.POST if request.method == "POST" else None, initial={"item": request.GET.get("item")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item_id = data["item"]
        if item_id and selectors.item_for_moderator(item_id=item_id, user=request.user) is None:
            raise Http404
        common = {"actor": request.user, "thread": thread, "rule": data["rule"], "reason": data["reason"]}
        try:
            if data["action"] == "move":
                if not can_moderate_subforum(request.user, data["subforum"].pk):
                    raise Http404
                actions.thread_move(subforum=data["subforum"], item_id=item_id, **common)
            else:
                getattr(actions, f"thread_{data['action']}")(item_id=item_id, **common)
        except QueueConflict as error:
            return _conflict(request, error, item_id)
        messages.success(request, "Done, and logged.")
        return _back(item_id, thread)
    if request.method == "POST" and form.cleaned_data.get("item"):
        return item_detail(request, form.cleaned_data["item"], forms={"thread": form}, status=422)
    return render(
        request, "moderation/act.html", {"form": form, "thread": thread, "title": "Act on a thread"},
        status=422 if form.errors else 200,
    )  # fmt: skip


def _member_or_404(request: HttpRequest, member_id: int) -> User:
    check_can_moderate(request.user)
    member = User.objects.filter(pk=member_id).first()
    # Acting on a member is for moderators of every space (a member is not inside one subforum).
    if member is None or not can_moderate_subforum(request.user, None):
        raise Http404
    return member


@login_required
@require_http_methods(["GET", "POST"])
def member_page(request: HttpRequest, member_id: int) -> HttpResponse:
    member = _member_or_404(request, member_id)
    form = MemberActionForm(
        request.POST if request.method == "POST" else None, initial={"item": request.GET.get("item")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        until = timezone.now() + timedelta(days=data["days"]) if data.get("days") else None
        try:
            sanctions.member_sanction(
                actor=request.user, member=member, kind=data["action"], rule=data["rule"], reason=data["reason"],
                until=until, item_id=data["item"],
            )  # fmt: skip
        except QueueConflict as error:
            return _conflict(request, error, data["item"])
        except (PermissionError, ValueError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Done, and logged. The member can read why, and how to appeal, in Hearth.")
            return _back(data["item"], "moderation:queue")
    return render(
        request,
        "moderation/member.html",
        {
            "member": member,
            "form": form,
            "history": selectors.member_history(member=member),
            "age_days": (timezone.now() - member.date_joined).days,
            "email_form": EmailRevealForm() if can_see_email(request.user) else None,
            "reach_out_form": ReachOutForm(initial={"item": request.GET.get("item")}),
            # Abuse handling, admins only: accounts that signed in from the same address lately.
            "shared_address": members_sharing_address(member=member) if can_see_email(request.user) else None,
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def member_reach_out(request: HttpRequest, member_id: int) -> HttpResponse:
    member = _member_or_404(request, member_id)
    form = ReachOutForm(request.POST)
    if not form.is_valid():
        if form.cleaned_data.get("item"):
            return item_detail(request, form.cleaned_data["item"], forms={"reach_out": form}, status=422)
        raise Http404
    try:
        actions.member_reach_out(
            actor=request.user, member=member, note=form.cleaned_data["note"], item_id=form.cleaned_data["item"]
        )
    except QueueConflict as error:
        return _conflict(request, error, form.cleaned_data["item"])
    messages.success(request, f"Your message reached {member.pseudonym} privately.")
    return _back(form.cleaned_data["item"], "moderation:queue")


@login_required
@require_POST
def member_email(request: HttpRequest, member_id: int) -> HttpResponse:
    """Admins only: show the account's email, logging who looked and why."""
    member = _member_or_404(request, member_id)
    if not can_see_email(request.user):
        raise Http404
    form = EmailRevealForm(request.POST)
    if not form.is_valid():
        messages.info(request, "Please give a reason; looking at an email address is logged.")
        return redirect("moderation:member", member_id=member.pk)
    actions.action_log(actor=request.user, action="email_view", rule=None, reason=form.cleaned_data["reason"],
                       member=member)  # fmt: skip
    return render(request, "moderation/email.html", {"member": member})


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    initial = {"body": post.source, "title": post.thread.title}
    form = ModeratorEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.post_edit_as_moderator(
                actor=request.user,
                post=post,
                body=form.cleaned_data["body"],
                title=form.cleaned_data["title"] if post.is_opening else None,
                rule=form.cleaned_data["rule"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "The post is changed; the earlier text is kept and the change is logged.")
            return redirect(post)
    return render(request, "moderation/edit.html", {"form": form, "post": post}, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def post_template_reply(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    form = TemplateReplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            reply = actions.moderator_reply(
                actor=request.user, post=post, body=form.cleaned_data["template"].render_for(post.author)
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "messages", [str(error)]))
        else:
            return redirect(reply)
    return render(request, "moderation/template_reply.html", {"form": form, "post": post},
                  status=422 if form.errors else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def post_content_notes(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_or_404(request, post_id)
    initial = {"post_notes": list(post.notes.all()), "thread_notes": list(post.thread.notes.all())}
    initial_rule = forum_selectors.rule_by_code(code="R3")
    if initial_rule:
        initial["rule"] = initial_rule
    form = ContentNotesForm(
        request.POST if request.method == "POST" else None, initial=initial, with_thread=post.is_opening
    )
    if request.method == "POST" and form.is_valid():
        services.content_notes_change(
            actor=request.user,
            post=post,
            post_notes=form.cleaned_data["post_notes"],
            thread_notes=form.cleaned_data.get("thread_notes") if post.is_opening else None,
            rule=form.cleaned_data["rule"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, "Content notes updated and logged.")
        return redirect(post)
    return render(
        request, "moderation/content_notes.html", {"form": form, "post": post}, status=422 if form.errors else 200
    )


# --- members: reports, statements of reasons, appeals ------------------------------------------


def _report_limit(request: HttpRequest) -> None:
    """Reports per member and per address (accounts.limits), refused with the reports' own calm
    words, which point to emergency services and the help page."""
    if limits.member_action("report", member=request.user, address=client_address(request)) is not None:
        raise ReportRefused(reports.TOO_MANY)


def _report(request: HttpRequest, *, post=None, member=None) -> HttpResponse:
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        rule, at_risk = form.rule_and_risk()
        try:
            _report_limit(request)
            reports.report_file(
                reporter=request.user,
                post=post,
                member=member,
                rule=rule,
                someone_at_risk=at_risk,
                words=form.cleaned_data["words"],
            )
        except ReportRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                "Thank you for telling us. A moderator will look at it; we'll let you know once it's reviewed.",
            )
            return redirect(post or member)
    status = 429 if form.non_field_errors() and reports.TOO_MANY in form.non_field_errors() else 422
    return render(
        request,
        "moderation/report.html",
        {"form": form, "post": post, "reported_member": member},
        status=status if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_post(request: HttpRequest, post_id: int) -> HttpResponse:
    post = forum_selectors.post_for_viewer(post_id=post_id, user=request.user)
    if post is None or (post.status != "published" and post.author_id != request.user.pk):
        raise Http404
    return _report(request, post=post)


@login_required
@require_http_methods(["GET", "POST"])
def report_member(request: HttpRequest, pseudonym: str) -> HttpResponse:
    member = member_by_pseudonym(pseudonym=pseudonym)
    if member is None:
        raise Http404
    return _report(request, member=member)


@login_required
@require_http_methods(["GET", "POST"])
def report_status(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_for_reporter(report_id=report_id, user=request.user)
    if report is None:
        raise Http404
    form = AppealForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            appeals.second_look_request(reporter=request.user, report=report, words=form.cleaned_data["words"])
        except AppealRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Thank you. Another moderator will take a second look.")
            return redirect("moderation:report_status", report_id=report.pk)
    return render(request, "moderation/report_status.html", {"report": report, "form": form},
                  status=422 if form.errors else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def decision(request: HttpRequest, action_id: int) -> HttpResponse:
    """The statement of reasons: what was done and why, and the way to appeal (DSA Art. 17)."""
    action = selectors.action_for_member(action_id=action_id, user=request.user)
    if action is None:
        raise Http404
    own = action.member_id == request.user.pk
    form = AppealForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not own:
            raise Http404
        if form.is_valid():
            try:
                appeals.appeal_file(appellant=request.user, action=action, words=form.cleaned_data["words"])
            except AppealRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, "Your appeal is sent. A different moderator will decide it and tell you.")
                return redirect(action)
    return render(
        request,
        "moderation/decision.html",
        {
            "action": action,
            "label": actions.ACTION_LABELS.get(action.action, action.action),
            "own": own,
            "form": form if own and can_appeal(member=request.user, action=action) else None,
            "deadline": appeal_deadline(action),
            "restricting": action.action in actions.RESTRICTING,
            "sanction": action.after if action.action.startswith("member_") else None,
            "until": parse_datetime(action.after.get("until") or "") if action.action.startswith("member_") else None,
        },
        status=422 if form.errors else 200,
    )


def transparency(request: HttpRequest) -> HttpResponse:
    """Public: per month, decisions by type and guideline, reports, appeals, reversals. No personal data."""
    return render(request, "moderation/transparency.html", {"months": selectors.transparency_months()})
