"""Issue 21: the embedded default signed with a fixed, public key, so anyone could forge an
email-verification link for an address they do not own. Each install now draws its own key once
and keeps it in var/ (mode 0600); production still has to be given SECRET_KEY."""

from __future__ import annotations

import stat
import subprocess
import sys
import threading

from config.secret_key import KEY_FILE_NAME, embedded_secret_key
from tests.test_settings import PRODUCTION, ROOT, manage

OLD_PUBLIC_KEY = "embedded-default-not-secret-" + "x" * 40


def test_two_installs_get_different_keys(tmp_path):
    first = embedded_secret_key(tmp_path / "one" / "var")
    second = embedded_secret_key(tmp_path / "two" / "var")
    assert first != second
    assert len(first) >= 50 and len(second) >= 50
    assert OLD_PUBLIC_KEY not in (first, second)


def test_the_key_is_kept_private_to_its_owner(tmp_path):
    embedded_secret_key(tmp_path)
    mode = stat.S_IMODE((tmp_path / KEY_FILE_NAME).stat().st_mode)
    assert mode == 0o600


def test_the_key_survives_a_restart(tmp_path):
    first = embedded_secret_key(tmp_path)
    # A restart is a fresh interpreter reading the same folder.
    code = (
        "from pathlib import Path; from config.secret_key import embedded_secret_key as key; "
        f"print(key(Path({str(tmp_path)!r})))"
    )
    again = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert again.stdout.strip() == first


def test_the_web_server_and_worker_starting_together_agree_on_one_key(tmp_path):
    keys: list[str] = []
    workers = [threading.Thread(target=lambda: keys.append(embedded_secret_key(tmp_path))) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(set(keys)) == 1
    assert [p.name for p in tmp_path.iterdir()] == [KEY_FILE_NAME]


def test_the_embedded_settings_sign_with_the_installs_own_key():
    show = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = manage("shell", "-c", show)
    second = manage("shell", "-c", show)
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip().splitlines()[-1]
    assert key != OLD_PUBLIC_KEY
    assert key == (ROOT / "var" / KEY_FILE_NAME).read_text().strip()
    assert second.stdout.strip().splitlines()[-1] == key


def test_production_still_requires_the_key_from_the_environment():
    variables = {name: value for name, value in PRODUCTION.items() if name != "SECRET_KEY"}
    result = manage("check", **variables)
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr
