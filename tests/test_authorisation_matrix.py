"""The authorisation matrix: every URL pattern and websocket route, as every persona, with the
outcome each must get (issue 21, OWASP ASVS V4).

The personas:
  guest      not signed in
  member     owns the objects the URLs point at (the thread, its opening post, the notification,
             the report, the decision about their account)
  other      another member: not the owner
  scoped     a moderator whose scope is the subforum those objects live in
  elsewhere  a moderator of another subforum only
  admin      a superuser (moderator of everything, the only one who opens the admin)

Outcomes: a status code, LOGIN (302 to sign-in), ADM (302 to the admin's sign-in), or
REDIRECT (302 anywhere else). Sockets: OPEN, or the close code after accept().

A URL pattern (or websocket route) without a row FAILS the test: add one line to ROWS (or
SOCKET_ROWS) saying what each persona must get. Admin model pages share one row per kind of page
(see ADMIN_MODEL_PAGE); a model whose pages behave differently gets its own exact row.

Each persona's test builds a small real forum (WORLD below) so parameterised URLs resolve to real
objects; unsafe methods are sent only where they change nothing that later rows depend on.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from accounts.second_factor import authenticator_app_add
from config.asgi import application
from config.routing import websocket_urlpatterns
from forum.models import ContentNote, HelpResource, Rule, SiteSettings
from moderation import intake
from moderation.models import ModeratorScope, ReplyTemplate
from moderation.screening.models import RescreenRun, ScreeningResult
from moderation.services import appeals, reports, sanctions
from notifications.services import notify
from privacy.models import DataExport
from tests import factories
from tests.second_factor import sign_in
from tests.websockets import GUEST_HEADERS, session_headers

LOGIN, ADMIN_LOGIN, REDIRECT = "login", "admin-login", "redirect"
OPEN = "open"
PERSONAS = ("guest", "member", "other", "scoped", "elsewhere", "admin")
GET, POST = "get", "post"

ADM = ADMIN_LOGIN  # short, so each row stays one line
NOT_IN_ADMIN = (GET, ADM, ADM, ADM, ADM, ADM, 403)

# fmt: off
# pattern: (method, guest, member, other, scoped, elsewhere, admin)
ROWS: dict[str, tuple] = {
    # --- public pages ---------------------------------------------------------------------------
    "favicon.ico":                                   (GET, 301, 301, 301, 301, 301, 301),
    "":                                              (GET, 200, 200, 200, 200, 200, 200),
    "help/":                                         (GET, 200, 200, 200, 200, 200, 200),
    "guidelines/":                                   (GET, 200, 200, 200, 200, 200, 200),
    "waiting/":                                      (GET, 200, 200, 200, 200, 200, 200),
    "transparency/":                                 (GET, 200, 200, 200, 200, 200, 200),
    "f/<slug:slug>/":                                (GET, 200, 200, 200, 200, 200, 200),
    "t/<int:thread_id>/":                            (GET, 302, 302, 302, 302, 302, 302),
    "t/<int:thread_id>/<slug:slug>/":                (GET, 200, 200, 200, 200, 200, 200),
    "p/<int:post_id>/":                              (GET, 302, 302, 302, 302, 302, 302),
    "m/<str:pseudonym>/":                            (GET, 200, 200, 200, 200, 200, 200),
    # --- members: posting, and what they own ------------------------------------------------------
    "f/<slug:slug>/new/":                            (GET, LOGIN, 200, 200, 200, 200, 200),
    "t/<int:thread_id>/reply/":                      (GET, LOGIN, 200, 200, 200, 200, 200),
    "p/<int:post_id>/edit/":                         (GET, LOGIN, 200, 404, 404, 404, 404),
    "p/<int:post_id>/remove/":                       (GET, LOGIN, 200, 404, 404, 404, 404),
    "p/<int:post_id>/history/":                      (GET, 404, 200, 404, 200, 200, 200),
    # Never on your own post: a calm 403 for its author.
    "p/<int:post_id>/react/":                        (POST, LOGIN, 403, 302, 302, 302, 302),
    "moderation/report/post/<int:post_id>/":         (GET, LOGIN, 200, 200, 200, 200, 200),
    "moderation/report/member/<str:pseudonym>/":     (GET, LOGIN, 200, 200, 200, 200, 200),
    "moderation/reports/<int:report_id>/":           (GET, LOGIN, 200, 404, 404, 404, 404),
    # A decision about a member's account: the member, and moderators with full scope.
    "moderation/decisions/<int:action_id>/":         (GET, LOGIN, 200, 404, 404, 404, 200),
    "notifications/":                                (GET, LOGIN, 200, 200, 200, 200, 200),
    "notifications/<int:notification_id>/open/":     (POST, LOGIN, 302, 404, 404, 404, 404),
    "notifications/read-all/":                       (POST, LOGIN, 302, 302, 302, 302, 302),
    "notifications/settings/":                       (GET, LOGIN, 200, 200, 200, 200, 200),
    "accounts/settings/":                            (GET, LOGIN, 200, 200, 200, 200, 200),
    "accounts/settings/pseudonym/":                  (GET, LOGIN, 200, 200, 200, 200, 200),
    # Two-step sign-in (allauth.mfa): each member's own; staff have an authenticator app here.
    # Setting up, changing or showing codes first asks "confirm it's you" (allauth: a redirect).
    "accounts/2fa/":                                 (GET, LOGIN, 200, 200, 200, 200, 200),
    "accounts/2fa/authenticate/":                    (GET, LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "accounts/2fa/reauthenticate/":                  (GET, LOGIN, REDIRECT, REDIRECT, 200, 200, 200),
    "accounts/2fa/recovery-codes/":                  (GET, LOGIN, 404, 404, REDIRECT, REDIRECT, REDIRECT),
    "accounts/2fa/recovery-codes/download/":         (GET, LOGIN, 404, 404, REDIRECT, REDIRECT, REDIRECT),
    "accounts/2fa/recovery-codes/generate/":         (GET, LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "accounts/2fa/totp/activate/":                   (GET, LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "accounts/2fa/totp/deactivate/":                 (GET, LOGIN, 404, 404, REDIRECT, REDIRECT, REDIRECT),
    "accounts/settings/two-step-sign-in/needed/":    (GET, LOGIN, REDIRECT, REDIRECT, 200, 200, 200),
    # Data rights: each member's own download; the address of one is random and theirs alone.
    "accounts/settings/data/":                       (GET, LOGIN, 200, 200, 200, 200, 200),
    "accounts/settings/data/export/":                (POST, LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "accounts/settings/data/download/<uuid:export_id>/": (GET, LOGIN, 200, 404, 404, 404, 404),
    "accounts/settings/delete/":                     (GET, LOGIN, 200, 200, 200, 200, 200),
    "privacy/":                                      (GET, 200, 200, 200, 200, 200, 200),
    # 404 until HEARTH_SECURITY_CONTACT is set.
    ".well-known/security.txt":                      (GET, 404, 404, 404, 404, 404, 404),
    # An admin carries out an erasure at once; everyone else never learns the page exists.
    "privacy/erase/<int:member_id>/":                (GET, 404, 404, 404, 404, 404, 200),
    "settings/content-notes/":                       (GET, LOGIN, 200, 200, 200, 200, 200),
    "settings/volunteering/":                        (GET, LOGIN, 200, 200, 200, 200, 200),
    "welcome/":                                      (GET, LOGIN, 200, 200, 200, 200, 200),
    "welcome/guidelines/":                           (GET, LOGIN, 200, 200, 200, 200, 200),
    "welcome/content-notes/":                        (GET, LOGIN, 200, 200, 200, 200, 200),
    "welcome/done/":                                 (GET, LOGIN, 200, 200, 200, 200, 200),
    "welcome/skip/":                                 (POST, LOGIN, 302, 302, 302, 302, 302),
    # --- moderators only: a 404 for everyone else, guests included (they never learn the URL) -----
    "moderation/":                                   (GET, 404, 404, 404, 200, 200, 200),
    "moderation/items/<int:item_id>/":               (GET, 404, 404, 404, 200, 404, 200),
    "moderation/items/<int:item_id>/claim/":         (POST, 404, 404, 404, 302, 404, 302),
    "moderation/items/<int:item_id>/release/":       (POST, 404, 404, 404, 302, 404, 302),
    "moderation/items/<int:item_id>/dismiss/":       (POST, 404, 404, 404, 422, 404, 422),
    "moderation/items/<int:item_id>/decide/":        (POST, 404, 404, 404, 422, 404, 422),
    "moderation/posts/<int:post_id>/act/":           (GET, 404, 404, 404, 200, 404, 200),
    "moderation/posts/<int:post_id>/edit/":          (GET, 404, 404, 404, 200, 404, 200),
    "moderation/posts/<int:post_id>/reply/":         (GET, 404, 404, 404, 200, 404, 200),
    "moderation/posts/<int:post_id>/content-notes/": (GET, 404, 404, 404, 200, 404, 200),
    "moderation/threads/<int:thread_id>/act/":       (GET, 404, 404, 404, 200, 404, 200),
    # Acting on a member needs full scope: a scoped moderator gets the same 404.
    "moderation/members/<int:member_id>/":           (GET, 404, 404, 404, 404, 404, 200),
    "moderation/members/<int:member_id>/reach-out/": (POST, 404, 404, 404, 404, 404, 302),
    "moderation/members/<int:member_id>/email/":     (POST, 404, 404, 404, 404, 404, 302),
    "forum-health/":                                 (GET, 404, 404, 404, 200, 200, 200),
    "forum-health/figures.csv":                      (GET, 404, 404, 404, 200, 200, 200),
    # --- sign-in and account pages (allauth) ------------------------------------------------------
    "accounts/login/":                               (GET, 200, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "accounts/logout/":                              (GET, REDIRECT, 200, 200, 200, 200, 200),
    "accounts/inactive/":                            (GET, 200, 200, 200, 200, 200, 200),
    "accounts/signup/":                              (GET, 200, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "accounts/reauthenticate/":                      (GET, LOGIN, 200, 200, 200, 200, 200),
    "accounts/reauthenticate/code/":                 (GET, LOGIN, 200, 200, 200, 200, 200),
    "accounts/reauthenticate/code/confirm/":         (GET, LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "accounts/email/":                               (GET, LOGIN, 200, 200, 200, 200, 200),
    "accounts/confirm-email/":                       (GET, 200, 200, 200, 200, 200, 200),
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$":   (GET, 200, 200, 200, 200, 200, 200),
    "accounts/password/change/":                     (GET, LOGIN, 200, 200, 200, 200, 200),
    "accounts/password/set/":                        (GET, LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    "accounts/password/reset/":                      (GET, 200, 200, 200, 200, 200, 200),
    "accounts/password/reset/done/":                 (GET, 200, 200, 200, 200, 200, 200),
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (GET, 200, 200, 200, 200, 200, 200),
    "accounts/password/reset/key/done/":             (GET, 200, 200, 200, 200, 200, 200),
    "accounts/login/code/confirm/":                  (GET, LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
    # --- the admin: admins only; everyone else is sent to the admin's sign-in ---------------------
    "admin/":                                        (GET, ADM, ADM, ADM, ADM, ADM, 200),
    # The admin signs in through allauth's limited, two-step sign-in; no second login form.
    "admin/login/":                                  (GET, LOGIN, 404, 404, 404, 404, REDIRECT),
    "admin/logout/":                                 (POST, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, 200),
    "admin/password_change/":                        (GET, ADM, ADM, ADM, ADM, ADM, 200),
    "admin/password_change/done/":                   (GET, ADM, ADM, ADM, ADM, ADM, 200),
    "admin/autocomplete/":                           (GET, ADM, ADM, ADM, ADM, ADM, 403),
    "admin/jsi18n/":                                 (GET, ADM, ADM, ADM, ADM, ADM, 200),
    "admin/r/<path:content_type_id>/<path:object_id>/": (GET, ADM, ADM, ADM, ADM, ADM, REDIRECT),
    "admin/^(?P<app_label>auth|account|mfa|accounts|forum|moderation|screening|notifications)/$":
                                                     (GET, ADM, ADM, ADM, ADM, ADM, 200),
    "admin/(?P<url>.*)$":                            (GET, ADM, ADM, ADM, ADM, ADM, 404),
    "admin/accounts/user/<id>/password/":            (GET, ADM, ADM, ADM, ADM, ADM, 200),
    "admin/screening/screeningrule/try/":            (GET, ADM, ADM, ADM, ADM, ADM, 200),
    # One row per kind of model page, for every registered model (see ADMIN_MODEL_PAGE).
    "admin/<model>/":                                (GET, ADM, ADM, ADM, ADM, ADM, 200),
    "admin/<model>/add/":                            (GET, ADM, ADM, ADM, ADM, ADM, 200),
    "admin/<model>/<path:object_id>/history/":       (GET, ADM, ADM, ADM, ADM, ADM, 200),
    "admin/<model>/<path:object_id>/delete/":        (GET, ADM, ADM, ADM, ADM, ADM, 200),
    "admin/<model>/<path:object_id>/change/":        (GET, ADM, ADM, ADM, ADM, ADM, 200),
    "admin/<model>/<path:object_id>/":               (GET, ADM, ADM, ADM, ADM, ADM, 302),
    # Models the admin may not add or delete (posts and logs come from services; the log is append-only).
    **{f"admin/{model}/add/": NOT_IN_ADMIN for model in (
        "forum/sitesettings", "forum/thread", "forum/post", "moderation/reviewitem", "moderation/moderationaction",
        "moderation/sanction", "screening/screeningresult", "notifications/notification")},
    **{f"admin/{model}/<path:object_id>/delete/": NOT_IN_ADMIN for model in (
        "forum/sitesettings", "forum/thread", "forum/post", "moderation/reviewitem", "moderation/moderationaction",
        "moderation/sanction", "screening/screeningresult", "screening/rescreenrun")},
}

# Websocket routes (config/routing.py): OPEN, or the close code sent after accept().
SOCKET_ROWS: dict[str, tuple] = {
    # route                            guest  member other  scoped elsewhere admin
    "ws/threads/<int:thread_id>/":     (OPEN, OPEN, OPEN, OPEN, OPEN, OPEN),
    "ws/moderation/":                  (4404, 4404, 4404, OPEN, OPEN, OPEN),
    "ws/notifications/":               (4401, OPEN, OPEN, OPEN, OPEN, OPEN),
}
# fmt: on

# admin/<app_label>/<model_name>/... for every registered model shares the "admin/<model>/..." row.
ADMIN_MODEL_PAGE = re.compile(
    "^admin/(?:" + "|".join(f"{m._meta.app_label}/{m._meta.model_name}" for m in admin.site._registry) + ")/"
)


def _walk(resolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def row_key(route: str) -> str:
    """The ROWS key for a route: itself, or its admin model page group."""
    if route in ROWS:
        return route
    return ADMIN_MODEL_PAGE.sub("admin/<model>/", route)


def all_routes() -> list[tuple[str, object]]:
    return list(_walk(get_resolver()))


def test_every_url_pattern_has_a_row():
    missing = sorted({route for route, _ in all_routes() if row_key(route) not in ROWS})
    assert not missing, (
        "These URL patterns have no row in the authorisation matrix. Add one line per pattern to ROWS in "
        "tests/test_authorisation_matrix.py saying what guest, member, other member, scoped moderator, "
        f"moderator elsewhere and admin must get: {missing}"
    )


def test_every_row_is_still_a_url_pattern():
    keys = {row_key(route) for route, _ in all_routes()}
    stale = sorted(set(ROWS) - keys)
    assert not stale, f"Rows for URL patterns that no longer exist (remove them): {stale}"


def test_every_websocket_route_has_a_row():
    routes = {str(route.pattern) for route in websocket_urlpatterns}
    assert routes == set(SOCKET_ROWS), (
        "Each websocket route in config/routing.py needs one row in SOCKET_ROWS (and no row may outlive "
        f"its route): missing {sorted(routes - set(SOCKET_ROWS))}, stale {sorted(set(SOCKET_ROWS) - routes)}"
    )


# --- the world: real objects, so every parameterised URL resolves ----------------------------------


@dataclass
class World:
    people: dict
    values: dict  # URL kwarg -> value, with per-route overrides below
    overrides: dict  # route -> {kwarg: value}


def _build_world() -> World:
    anxiety = factories.subforum(name="Anxiety", slug="anxiety")
    sleep = factories.subforum(name="Sleep", slug="sleep")
    member = factories.member(pseudonym="MemberMaple", email="maple@example.org")
    other = factories.member(pseudonym="OtherOtter", email="otter@example.org")
    scoped = factories.member(pseudonym="ScopedSorrel", email="sorrel@example.org", is_moderator=True)
    ModeratorScope.objects.create(moderator=scoped, all_subforums=False).subforums.add(anxiety)
    elsewhere = factories.member(pseudonym="ElsewhereElm", email="elm@example.org", is_moderator=True)
    ModeratorScope.objects.create(moderator=elsewhere, all_subforums=False).subforums.add(sleep)
    admin_user = factories.member(
        pseudonym="AdminAsh", email="ash@example.org", is_moderator=True, is_staff=True, is_superuser=True
    )
    acting = factories.member(pseudonym="ActingAlder", email="alder@example.org", is_moderator=True)
    rule = Rule.objects.create(code="R1", title="Be kind", body="No attacks on anyone.")

    thread = factories.thread(author=member, subforum=anxiety, title="Panic on the bus", body="It was hard today.")
    opening = thread.posts.get(position=0)
    others_reply = factories.reply(author=other, thread=thread, body="You're not alone.")
    report = reports.report_file(reporter=member, post=others_reply, rule=rule)
    decision = sanctions.member_sanction(actor=acting, member=member, kind="warn", rule=rule, reason="Be gentle.")
    appeal = appeals.appeal_file(appellant=member, action=decision, words="I was upset, not unkind.")
    appeal_item = appeal.review_item
    # Appeals about a member have no subforum: give this one the thread's, so scope decides.
    type(appeal_item).objects.filter(pk=appeal_item.pk).update(subforum=anxiety)
    notification = notify(recipient=member, kind="reply", title="Someone replied", url=thread.get_absolute_url())

    # One row of every admin model, so each model's object pages resolve.
    ContentNote.objects.create(name="Self-harm", slug="self-harm")
    HelpResource.objects.create(name="Samaritans", phone="116 123")
    SiteSettings.objects.get_or_create(pk=1)
    Group.objects.create(name="Helpers")
    ReplyTemplate.objects.create(title="Checking in", body="Hi {pseudonym}, how are you?")
    RescreenRun.objects.create(days=7, started_by=admin_user)
    if not ScreeningResult.objects.exists():
        ScreeningResult.objects.create(post=opening, revision=0)
    intake.review_item_open(kind="report", target_key=f"post:{opening.pk}", post=opening, subforum=anxiety)
    authenticator_app_add(user=admin_user)  # an authenticator app, so its admin pages resolve
    download = DataExport.objects.create(
        member=member, status=DataExport.Status.READY, content=gzip.compress(b"{}"), size=2,
        expires_at=timezone.now() + timedelta(days=1),
    )  # fmt: skip

    return World(
        people={
            "guest": None,
            "member": member,
            "other": other,
            "scoped": scoped,
            "elsewhere": elsewhere,
            "admin": admin_user,
        },  # fmt: skip
        values={
            "slug": anxiety.slug,
            "thread_id": thread.pk,
            "post_id": opening.pk,
            "item_id": report.review_item_id,
            "member_id": member.pk,
            "pseudonym": member.pseudonym,
            "report_id": report.pk,
            "action_id": decision.pk,
            "notification_id": notification.pk,
            "export_id": download.pk,
            "key": "not-a-real-key",
            "uidb36": "1",
            "content_type_id": ContentType.objects.get_for_model(type(thread)).pk,
            "id": member.pk,
            "url": "nowhere/",
            "app_label": "forum",
        },
        overrides={
            "t/<int:thread_id>/<slug:slug>/": {"slug": thread.slug},
            "moderation/items/<int:item_id>/decide/": {"item_id": appeal_item.pk},
            "admin/r/<path:content_type_id>/<path:object_id>/": {"object_id": thread.pk},
            "moderation/members/<int:member_id>/reach-out/": {"data": {"note": "Thinking of you."}},
            "p/<int:post_id>/react/": {"data": {"kind": "thanks"}},
        },
    )


def _admin_object_id(route: str) -> str:
    match = re.match(r"^admin/(\w+)/(\w+)/", route)
    model = next(m for m in admin.site._registry if (m._meta.app_label, m._meta.model_name) == match.groups())
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"The matrix's world has no {model.__name__}: create one in _build_world"
    return str(obj.pk)


def _url(route: str, world: World) -> tuple[str, dict]:
    """A concrete URL for ``route`` from the world's objects, and the POST data to send."""
    values = {**world.values, **world.overrides.get(route, {})}
    data = values.pop("data", {})
    if "<path:object_id>" in route and "object_id" not in values:
        values["object_id"] = _admin_object_id(route)
    route = route.replace("^", "").replace("$", "")

    def fill(match: re.Match) -> str:
        name = match.group(1) or match.group(2)
        return str(values[name])

    url = re.sub(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)", fill, route)
    return "/" + url.replace("\\", ""), data


def _outcome(response) -> object:
    if response.status_code in (301, 302):
        location = response["Location"]
        if response.status_code == 302 and location.startswith("/accounts/login/"):
            return LOGIN
        if response.status_code == 302 and location.startswith("/admin/login/"):
            return ADMIN_LOGIN
        return REDIRECT if response.status_code == 302 else response.status_code
    return response.status_code


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_url_answers_each_persona_as_declared(client, persona, db):
    world = _build_world()
    user = world.people[persona]
    wrong = []
    for route, _ in all_routes():
        method, *expected = ROWS[row_key(route)]
        want = expected[PERSONAS.index(persona)]
        url, data = _url(route, world)
        client.logout()
        if user is not None:
            sign_in(client, user)  # staff with their second factor, as the real sign-in leaves them
        response = getattr(client, method)(url, data)
        got = _outcome(response)
        if isinstance(want, int) and want in (301, 302) and got == REDIRECT:
            got = 302
        if got != want:
            wrong.append(f"{method.upper()} {url} ({route}): expected {want}, got {got}")
    assert not wrong, f"As {persona}:\n" + "\n".join(wrong)


# --- websockets -------------------------------------------------------------------------------------


async def _socket_outcome(path: str, headers) -> object:
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    assert connected, f"{path} refused before accept(): browsers would see HTTP 403, not a close code"
    if await communicator.receive_nothing(timeout=0.5):
        await communicator.disconnect()
        return OPEN
    output = await communicator.receive_output(timeout=1)
    assert output["type"] == "websocket.close", output
    return output["code"]


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("persona", PERSONAS)
async def test_each_socket_answers_each_persona_as_declared(persona):
    world = await sync_to_async(_build_world)()
    user = world.people[persona]
    headers = GUEST_HEADERS if user is None else await sync_to_async(session_headers)(user)
    wrong = []
    for route in websocket_urlpatterns:
        pattern = str(route.pattern)
        path, _ = _url(pattern, world)
        got = await _socket_outcome(path, headers)
        want = SOCKET_ROWS[pattern][PERSONAS.index(persona)]
        if got != want:
            wrong.append(f"{path}: expected {want}, got {got}")
    await sync_to_async(connections.close_all)()
    assert not wrong, f"As {persona}:\n" + "\n".join(wrong)
