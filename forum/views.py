"""Forum pages. Views are adapters: parse input, fetch-and-authorise, call one service, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_http_methods

from accounts.selectors import member_by_pseudonym
from accounts.services import member_accept_guidelines
from forum import permissions, reactions, selectors, services
from forum.forms import EditForm, ReplyForm, ThreadForm
from forum.models import Post, Thread
from forum.onboarding import introduction_starter
from forum.presentation import decorate_posts, decorate_threads
from forum.rendering import render_post
from moderation import intake

#: Session key for the support panel the author's next page shows after posting at medium+.
SUPPORT_PANEL_KEY = "hearth_support_panel"


def _add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError beside the matching field (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def _accept_guidelines_if_ticked(request: HttpRequest, form) -> None:
    if form.cleaned_data.get("accept_guidelines"):
        member_accept_guidelines(user=request.user, version=selectors.guidelines_version())


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the real icon."""
    return redirect(static("favicon.svg"), permanent=True)


def _composer_preview(form, *, with_title: bool) -> dict:
    """The composer's server-side preview: the post as it will look and, from the fast screening
    stages run here (not the context check), the support panel at medium or above and the
    suggested content notes. Nothing is stored and nothing is blocked."""
    form.is_valid()  # problems show beside their fields, and everything typed is kept
    body = form.data.get("body", "")
    title = form.data.get("title", "").strip() if with_title else ""
    signpost = intake.signpost_for(text=f"{title}\n\n{body}" if title else body)
    return {
        "preview_html": render_post(body),
        "support": _support(signpost.panel, [n.name for n in signpost.notes], preview=True),
        "suggested_notes": [n.name for n in signpost.notes],
    }


def _support(show: bool, notes: list[str], *, preview: bool = False) -> dict | None:
    if not show:
        return None
    return {"resources": selectors.help_resources(), "suggested_notes": notes, "preview": preview}


def _remember_support_panel(request: HttpRequest, *, text: str, chose_notes: bool) -> None:
    """After posting at medium or above (the fast stages again, whatever the screening job later
    decides), the author's next page shows the support panel."""
    signpost = intake.signpost_for(text=text)
    if signpost.panel:
        request.session[SUPPORT_PANEL_KEY] = {"notes": [] if chose_notes else [n.name for n in signpost.notes]}


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "forum/home.html", {"subforums": selectors.subforum_tree()})


def subforum_detail(request: HttpRequest, slug: str) -> HttpResponse:
    subforum = selectors.subforum_by_slug(slug=slug)
    if subforum is None:
        raise Http404
    displays = selectors.note_displays_for(request.user)
    # "Show them this time": threads the viewer hides appear collapsed behind their notes, once.
    revealing = request.GET.get("reveal") == "hidden"
    if revealing:
        displays = selectors.displays_revealing_hidden(displays)
    listing = selectors.subforum_threads(subforum=subforum, user=request.user, params=request.GET, displays=displays)
    return render(
        request,
        "forum/subforum.html",
        {
            "subforum": subforum,
            "page": listing.page,
            "threads": decorate_threads(listing.rows, displays, request.user),
            "hidden_count": listing.hidden_count,
            "revealing": revealing,
            "own_pending": selectors.own_pending_threads(subforum=subforum, user=request.user),
            "children": subforum.get_children(),
            "can_start_thread": permissions.offers_start_thread(request.user, subforum),
        },
    )


def waiting(request: HttpRequest) -> HttpResponse:
    """Threads nobody has answered yet, for anyone who can spare a kind word."""
    displays = selectors.note_displays_for(request.user)
    listing = selectors.waiting_threads(params=request.GET, displays=displays)
    return render(
        request,
        "forum/waiting.html",
        {
            "page": listing.page,
            "threads": decorate_threads(listing.rows, displays, request.user),
            "hidden_count": listing.hidden_count,
        },
    )


def _thread_or_404(request: HttpRequest, thread_id: int) -> Thread:
    thread = selectors.thread_for_viewer(thread_id=thread_id, user=request.user)
    if thread is None:
        raise Http404
    return thread


def thread_detail(request: HttpRequest, thread_id: int, slug: str = "") -> HttpResponse:
    thread = _thread_or_404(request, thread_id)
    if slug != thread.slug:
        return redirect(thread.get_absolute_url() + (f"?{request.GET.urlencode()}" if request.GET else ""))
    displays = selectors.note_displays_for(request.user)
    page = selectors.thread_posts(thread=thread, user=request.user, page_number=request.GET.get("page"))
    reveal = request.GET.get("reveal", "")
    own_thread = request.user.is_authenticated and thread.author_id == request.user.pk
    # Authors always see their own thread; its notes are for others.
    thread_display = "show" if own_thread else selectors.strongest_display([n.pk for n in thread.notes.all()], displays)
    posts = decorate_posts(page.object_list, request.user, displays)
    reactions.attach(views=posts, viewer=request.user, thread=thread)
    if reveal.isdigit():  # "show it" on one hidden post: reveal that post only, this time
        for view in posts:
            if view.post.pk == int(reveal) and view.display == "hide":
                view.display = "show"
    can_reply = permissions.offers_reply(request.user, thread)
    after_posting = request.session.pop(SUPPORT_PANEL_KEY, None)
    held = [
        v for v in posts if v.post.status_reason == services.HELD_BY_SCREENING and v.post.author_id == request.user.pk
    ]
    return render(
        request,
        "forum/thread.html",
        {
            "support": _support(after_posting is not None, (after_posting or {}).get("notes", [])),
            "held_by_screening": services.HELD_BY_SCREENING,
            "held_resources": selectors.help_resources() if held else (),
            "review_minutes": intake.typical_review_minutes() if held else None,
            "thread": thread,
            "page": page,
            "posts": posts,
            "thread_display": thread_display,
            "thread_hidden": thread_display == "hide" and reveal != "thread",
            "can_reply": can_reply,
            "reply_form": ReplyForm(ask_guidelines=permissions.needs_guidelines_acceptance(request.user))
            if can_reply or permissions.needs_guidelines_acceptance(request.user)
            else None,
        },
    )


def post_permalink(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.post_for_viewer(post_id=post_id, user=request.user)
    if post is None:
        raise Http404
    page = selectors.post_page_number(post=post, user=request.user)
    query = {"page": page} if page > 1 else {}
    if request.GET.get("reveal") in (str(post.pk), "thread"):
        query["reveal"] = request.GET["reveal"]
    suffix = f"?{urlencode(query)}" if query else ""
    return redirect(f"{post.thread.get_absolute_url()}{suffix}#{post.anchor}")


@login_required
@require_http_methods(["GET", "POST"])
def thread_create(request: HttpRequest, slug: str) -> HttpResponse:
    subforum = selectors.subforum_by_slug(slug=slug)
    if subforum is None:
        raise Http404
    if not request.user.is_active:
        raise PermissionDenied("Your account can't post at the moment.")
    ask = permissions.needs_guidelines_acceptance(request.user)
    initial = {}
    if request.GET.get("starter") and subforum.is_introductions:
        initial["title"], initial["body"] = introduction_starter(member=request.user)
    form = ThreadForm(request.POST if request.method == "POST" else None, initial=initial, ask_guidelines=ask)
    preview = _composer_preview(form, with_title=True) if "preview" in request.POST else {}
    if request.method == "POST" and not preview and form.is_valid():
        _accept_guidelines_if_ticked(request, form)
        try:
            thread = services.thread_create(
                author=request.user,
                subforum=subforum,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                notes=form.cleaned_data["notes"],
                submission_token=form.cleaned_data.get("submission_token"),
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        except PermissionDenied as refusal:
            form.add_error(None, str(refusal))
        else:
            if thread.status == "pending":
                messages.info(request, services.HELD_FOR_REVIEW)
            else:
                messages.success(request, "Your thread is posted. Thank you for sharing it.")
            _remember_support_panel(
                request, text=f"{thread.title}\n\n{form.cleaned_data['body']}", chose_notes=bool(thread.notes.exists())
            )
            return redirect(thread)
    return render(
        request,
        "forum/compose.html",
        {"form": form, "subforum": subforum, "first_post": request.user.post_count == 0, **preview},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_reply(request: HttpRequest, thread_id: int) -> HttpResponse:
    posted = request.POST if request.method == "POST" else None
    thread = selectors.thread_for_viewer(thread_id=thread_id, user=request.user)
    if thread is None:
        if posted and posted.get("body"):  # hidden while they typed: give their words back
            return render(request, "forum/reply_unavailable.html", {"body": posted["body"]}, status=404)
        raise Http404
    parent_id = request.POST.get("parent") or request.GET.get("to")
    parent = None
    if parent_id:
        parent = selectors.post_for_viewer(post_id=_int_or_404(parent_id), user=request.user)
        # A hidden or removed post must not be linked to its author by a "Reply to …" page.
        if parent is None or parent.thread_id != thread.pk or not permissions.can_see_post_text(request.user, parent):
            raise Http404
    ask = permissions.needs_guidelines_acceptance(request.user)
    form = ReplyForm(posted, ask_guidelines=ask)
    displays = selectors.note_displays_for(request.user)
    # The thread's title is shown only where its thread page would show it (never leaked by the
    # reply page's title or breadcrumb for a thread behind a note the member collapses or hides).
    title_shown = thread.author_id == request.user.pk or (
        selectors.strongest_display([n.pk for n in thread.notes.all()], displays) == "show"
    )
    status = 200
    preview = _composer_preview(form, with_title=False) if posted is not None and "preview" in posted else {}
    if preview:
        pass  # shown below with everything typed kept; nothing is posted
    elif not ask and not permissions.can_reply(request.user, thread):
        if posted is None:
            permissions.check_can_reply(request.user, thread)  # raises with a calm message
        status = _refuse_keeping_text(form, lambda: permissions.check_can_reply(request.user, thread))
    elif posted is not None and form.is_valid():
        _accept_guidelines_if_ticked(request, form)
        try:
            post = services.post_reply(
                author=request.user,
                thread=thread,
                parent=parent,
                body=form.cleaned_data["body"],
                notes=form.cleaned_data["notes"],
                submission_token=form.cleaned_data.get("submission_token"),
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        except PermissionDenied as refusal:  # e.g. locked while they were typing
            form.add_error(None, str(refusal))
            status = 403
        else:
            if post.status == "pending":
                messages.info(request, services.HELD_FOR_REVIEW)
            else:
                messages.success(request, "Your reply is posted.")
            _remember_support_panel(
                request, text=form.cleaned_data["body"], chose_notes=bool(form.cleaned_data["notes"])
            )
            return redirect(post)
    return render(
        request,
        "forum/reply.html",
        {
            "form": form,
            "thread": thread,
            "parent": parent,
            "title_shown": title_shown,
            "parent_view": decorate_posts([parent], request.user, displays, with_thread_notes=True)[0]
            if parent is not None
            else None,
            "first_post": request.user.post_count == 0,
            **preview,
        },
        status=status if status != 200 else (422 if form.errors else 200),
    )


def _refuse_keeping_text(form, check) -> int:
    """Put a permission refusal above the form (which keeps what was typed); returns 403."""
    try:
        check()
    except PermissionDenied as refusal:
        form.is_valid()
        form.add_error(None, str(refusal))
    return 403


def _int_or_404(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _own_post_or_404(request: HttpRequest, post_id: int) -> Post:
    post = selectors.post_for_viewer(post_id=post_id, user=request.user)
    if post is None:
        raise Http404
    return post


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _own_post_or_404(request, post_id)
    if not permissions.can_edit_post(request.user, post):
        raise Http404  # do not confirm that someone else's post exists in an editable state
    initial = {
        "body": post.source,
        "title": post.thread.title,
        "notes": list((post.thread if post.is_opening else post).notes.all()),
    }
    form = EditForm(request.POST if request.method == "POST" else None, initial=initial, with_title=post.is_opening)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(
                post=post,
                editor=request.user,
                body=form.cleaned_data["body"],
                title=form.cleaned_data.get("title") if post.is_opening else None,
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect(post)
    return render(request, "forum/edit.html", {"form": form, "post": post}, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def post_delete(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _own_post_or_404(request, post_id)
    if not permissions.can_delete_post(request.user, post):
        raise Http404
    if request.method == "POST":
        services.post_delete_by_author(post=post, actor=request.user)
        messages.success(request, "Your post is removed. You can still see its text; others can't.")
        return redirect(post.thread if not post.is_opening else post.thread.subforum)
    return render(request, "forum/delete.html", {"post": post})


def post_history(request: HttpRequest, post_id: int) -> HttpResponse:
    """Earlier versions of a post, for its author and moderators only."""
    post = selectors.post_for_viewer(post_id=post_id, user=request.user)
    if post is None or not permissions.can_see_post_history(request.user, post):
        raise Http404
    return render(request, "forum/history.html", {"post": post, "revisions": selectors.post_revisions(post=post)})


def profile(request: HttpRequest, pseudonym: str) -> HttpResponse:
    member = member_by_pseudonym(pseudonym=pseudonym)
    if member is None:
        raise Http404
    displays = selectors.note_displays_for(request.user)
    posts = selectors.member_recent_posts(member=member, viewer=request.user)
    return render(
        request,
        "forum/profile.html",
        {"member": member, "posts": decorate_posts(posts, request.user, displays, with_thread_notes=True)},
    )


def help_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "forum/help.html",
        {"resources": selectors.help_resources(), "settings": selectors.site_settings()},
    )


def guidelines(request: HttpRequest) -> HttpResponse:
    return render(
        request, "forum/guidelines.html", {"rules": selectors.active_rules(), "settings": selectors.site_settings()}
    )
