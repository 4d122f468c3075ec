"""The crisis page's content, kept where it can be read with PostgreSQL and Redis both down.

"Need help now?" (``/help/``) and the error pages list the crisis lines. They must answer when
nothing else does, so the help resources and the page's opening words are copied to a small
JSON file (``HEARTH_HELP_SNAPSHOT``) every time they change (after the commit that saved a
``HelpResource`` or ``SiteSettings``), after ``migrate`` (every deploy), and whenever ``/help/``
read the database and found the file out of date (so every web host's copy catches up within
one visit). With the database down, the page is drawn from the file alone.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

DEFAULT_INTRO = (
    "If you're thinking about ending your life or you're in danger, please contact one of these services now. "
    "They're free, confidential and there for you. If you're in immediate danger, call your local emergency number."
)
_FIELDS = ("name", "description", "phone", "text", "sms_link", "url", "url_display", "hours", "region")
_last_written: dict | None = None  # what this process last wrote (or found) in the file


def snapshot_path() -> Path:
    path = Path(settings.HEARTH_HELP_SNAPSHOT)
    return path if path.is_absolute() else Path(settings.BASE_DIR) / path


def help_content_from_database() -> dict:
    """The page's words and its active resources, as plain data (one query each)."""
    from forum.models import HelpResource, SiteSettings

    intro = SiteSettings.objects.filter(pk=1).values_list("help_intro", flat=True).first() or ""
    resources = [
        {field: getattr(resource, field) for field in _FIELDS}
        for resource in HelpResource.objects.filter(is_active=True)
    ]
    return {"intro": intro or DEFAULT_INTRO, "resources": resources}


def snapshot_write(content: dict | None = None) -> dict:
    """Write the file atomically (readers never see half of it); returns what was written."""
    global _last_written
    content = help_content_from_database() if content is None else content
    path = snapshot_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, prefix=".help-", suffix=".json", delete=False) as out:
        json.dump(content, out, ensure_ascii=False, indent=1)
    os.replace(out.name, path)
    _last_written = content
    return content


def snapshot_read() -> dict:
    """The file's content; without a readable file, the default words and no services (the page
    then says to call the local emergency number)."""
    try:
        content = json.loads(snapshot_path().read_text(encoding="utf-8"))
        if isinstance(content, dict) and isinstance(content.get("resources"), list):
            return content
    except (OSError, ValueError):
        logger.error("the help page's snapshot %s is missing or unreadable", snapshot_path())
    return {"intro": DEFAULT_INTRO, "resources": []}


def help_content() -> tuple[dict, bool]:
    """What ``/help/`` shows, and whether the database answered: from the database when it
    does (refreshing the file if it is out of date), otherwise from the file."""
    global _last_written
    try:
        content = help_content_from_database()
    except Exception:  # noqa: BLE001 - the database is down or failing: the file is the answer
        logger.warning("help page served from its snapshot: the database did not answer", exc_info=True)
        return snapshot_read(), False
    if _last_written is None:
        _last_written = snapshot_read()
    if content != _last_written:
        try:
            snapshot_write(content)
        except OSError:
            logger.error("could not refresh the help page's snapshot %s", snapshot_path(), exc_info=True)
    return content, True


def snapshot_refresh_after_commit(**_) -> None:
    """Signal receiver: the help resources or site settings changed; rewrite the file once committed."""
    from django.db import transaction

    transaction.on_commit(_refresh_quietly)


def _refresh_quietly() -> None:
    try:
        snapshot_write()
    except Exception:  # noqa: BLE001 - an admin's save must not fail on the file; /help/ rewrites it
        logger.error("could not refresh the help page's snapshot %s", snapshot_path(), exc_info=True)
