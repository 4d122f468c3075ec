"""`make run`: serve Hearth with websockets and background jobs, and stop them all on Ctrl-C.

Starts two processes on the embedded default: uvicorn (HTTP and websockets) and one Celery
worker with the beat scheduler embedded (its broker is a local folder, so no server is needed).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.core.exceptions import ImproperlyConfigured

from config import env


def main() -> int:
    try:
        port = env.get("PORT")
    except ImproperlyConfigured as error:
        print(error, file=sys.stderr)
        return 2
    python = sys.executable
    commands = {
        "web": [
            python,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            # Hearth reads X-Forwarded-For itself, from HEARTH_TRUSTED_PROXIES only
            # (accounts/client_address.py); uvicorn would believe it from any local program.
            "--no-proxy-headers",
            "--log-level",
            "warning",
        ],
        "worker": [
            python,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--beat",
            "--pool",
            "solo",
            "--loglevel",
            "warning",
        ],
    }
    processes = {name: subprocess.Popen(cmd, env=os.environ.copy()) for name, cmd in commands.items()}  # noqa: S603
    print(f"\nHearth is running at http://127.0.0.1:{port}/  (press Ctrl-C to stop)\n", flush=True)
    stopping = False

    def stop(*_args) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    while not stopping:
        for name, process in processes.items():
            if process.poll() is not None:
                print(f"The {name} process stopped (exit {process.returncode}); stopping Hearth.", file=sys.stderr)
                exit_code = process.returncode or 1
                stopping = True
        time.sleep(0.5)
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + 10
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
    print("Hearth stopped. See you soon.")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
