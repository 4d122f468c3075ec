"""Shared pieces of the load benchmarks (bench/pages.py, bench/ws_fanout.py, bench/memory.py).

Starts Hearth the way the production image serves it (uvicorn, ``config.asgi``, production
profile, DEBUG off, PostgreSQL and Redis, ``--workers N --no-proxy-headers``) on a loopback port,
finds or prepares the pages to measure in the benchmark database, signs the bench's own member
and moderator in by writing their sessions straight into the session store (no password, no
two-factor step: bench only), and drives pages with wrk through generated Lua scripts.

Requests look as they would behind the TLS proxy of docs/operations.md: ``X-Forwarded-Proto:
https`` (so no HTTPS redirect, and CSRF checks the Referer as it would in production).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WRK = shutil.which("wrk") or "/usr/bin/wrk"
DEFAULT_PORT = 9600
BENCH_MEMBER_EMAIL = "bench-member@bench.invalid"
BENCH_MODERATOR_EMAIL = "bench-moderator@bench.invalid"
QUEUE_ITEMS = 10_000
QUERY_HEADER = "X-Hearth-Bench-Queries"


def server_environment() -> dict[str, str]:
    """The environment of the served process: production profile, the caller's database and Redis."""
    missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
    if missing:
        raise SystemExit(
            f"Set {' and '.join(missing)} (PostgreSQL and Redis for the benchmark), e.g.\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench REDIS_URL=redis://127.0.0.1:6379/6"
        )
    environ = dict(os.environ)
    environ.update(
        {
            "HEARTH_PROFILE": "production",
            "HEARTH_BENCH": "true",
            "SECRET_KEY": environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "EMAIL_BACKEND": "locmem",
            # As the Dockerfile: one BLAS/OpenMP thread per process.
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "PYTHONPATH": str(ROOT),
            # The bench member posts far faster than any person: measure posting, not the
            # posting limits (accounts/limits.py), which would answer most requests with 429.
            **{f"HEARTH_LIMIT_{name}": "off" for name in ("REPLIES", "THREADS", "EDITS", "REACTIONS")},
        }
    )
    # Only what the production image sets: connection settings stay at their defaults, so the
    # benchmark measures what `docker compose up` would run.
    for name in ("CELERY_TASK_ALWAYS_EAGER", "SQLITE_PATH"):
        environ.pop(name, None)
    return environ


def setup_django() -> None:
    """Django in this process, on the same settings as the server, for preparing data."""
    os.environ.update(server_environment())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def manage(*args: str, quiet: bool = True) -> None:
    """Run a manage.py command in a child process with the server's environment."""
    subprocess.run(  # noqa: S603
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=server_environment(),
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


# --- The server ----------------------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log_path: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        """The uvicorn worker processes (children of the supervisor), or the server itself."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = [int(pid) for pid in children.read_text().split()] if children.exists() else []
        # uvicorn's multiprocess supervisor also starts a resource-tracker child; keep workers.
        workers = [pid for pid in pids if "uvicorn" in _cmdline(pid) or "spawn_main" in _cmdline(pid)]
        workers = [pid for pid in workers if "resource_tracker" not in _cmdline(pid)]
        return workers or [self.process.pid]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time the processes have used so far (from /proc/PID/stat)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime and stime, fields 14 and 15 of stat
    return total / ticks


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


@contextlib.contextmanager
def running_server(*, port: int = DEFAULT_PORT, workers: int = 2) -> Iterator[Server]:
    """uvicorn as in the Dockerfile, on loopback; stopped (its whole process group) on exit."""
    manage("collectstatic", "--no-input")  # the production profile serves hashed static names
    log_dir = ROOT / "var" / "bench"
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"server-{port}.log"
    command = [
        PYTHON,
        "-m",
        "uvicorn",
        "config.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-proxy-headers",
        # The image logs each request at INFO; kept off here so the log file stays readable and
        # the figures are the application's (a proxy in front logs requests in production).
        "--no-access-log",
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(  # noqa: S603
            command, env=server_environment(), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(process=process, port=port, log_path=log_path)
    try:
        _wait_until_up(server)
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_until_up(server: Server, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"The server stopped during start-up; see {server.log_path}")
        try:
            status, _headers, _body = fetch(server, "/bench/ceiling/")
            if status == 200:
                # Every worker imports Django lazily on its first request: warm them all.
                for _ in range(20):
                    fetch(server, "/bench/ceiling/")
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"The server did not answer within {timeout:.0f} s; see {server.log_path}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(
    server: Server, path: str, *, cookie: str = "", headers: dict[str, str] | None = None, data: bytes | None = None
) -> tuple[int, dict[str, str], str]:
    """One request as the proxy would forward it; returns status, headers and body."""
    # server.base is always http://127.0.0.1:PORT (the server this module started).
    request = urllib.request.Request(server.base + path, data=data, headers=proxy_headers(server, cookie))  # noqa: S310
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with _opener.open(request, timeout=60) as response:
            return response.status, _header_dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, _header_dict(error.headers), error.read().decode(errors="replace")


def _header_dict(message) -> dict[str, str]:
    """Headers by lower-case name; repeated ones (Set-Cookie) joined with "; "."""
    return {name.lower(): "; ".join(message.get_all(name)) for name in set(message.keys())}


def proxy_headers(server: Server, cookie: str = "") -> dict[str, str]:
    headers = {"Host": f"127.0.0.1:{server.port}", "X-Forwarded-Proto": "https", "Accept": "text/html"}
    if cookie:
        headers["Cookie"] = cookie
    return headers


def queries_per_request(server: Server, path: str, cookie: str, *, repeat: int = 3) -> int:
    """The SQL statements one request runs, from the bench-mode header (a separate, untimed pass).

    The last of a few requests, so that first-request work (a cache fill) is not counted."""
    count = -1
    for _ in range(repeat):
        status, headers, _body = fetch(server, path, cookie=cookie, headers={QUERY_HEADER: "1"})
        if status >= 400:
            raise SystemExit(f"{path} answered {status} in the counting pass")
        count = int(headers.get(QUERY_HEADER.lower(), "-1"))
    return count


# --- Sign-in without a password (bench only) --------------------------------------------------


def session_cookie_for(user) -> str:
    """A signed-in session for ``user``, written through Django's session engine.

    Equivalent to what ``django.contrib.auth.login`` stores, plus, for staff, what allauth records
    after the second step (an authenticator app set up and used), so the queue opens; it skips
    the sign-in form, which is what a benchmark needs and nothing else should do."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from accounts.second_factor import second_factor_required, session_record_signed_in_with_app

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if second_factor_required(user):
        session_record_signed_in_with_app(session=store, user=user)
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


# --- wrk ------------------------------------------------------------------------------------

_LUA_COMMON = r"""
-- Responses other than the expected status (a form error is a 200, a sign-in redirect a 302:
-- wrk alone would count both as successes) are counted per thread and reported as errors.
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_number", #threads)
end
thread_number = 0
unexpected = 0
function response(status, headers, body)
  if status ~= expected_status then unexpected = unexpected + 1 end
end
function done(summary, latency, requests)
  local e = summary.errors
  local wrong = 0
  for _, thread in ipairs(threads) do wrong = wrong + thread:get("unexpected") end
  io.write(string.format(
    '\nBENCH-JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, '
    .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, "unexpected": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout, wrong))
end
"""


def _lua_quote(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal for ASCII


def lua_get(paths: list[str], headers: dict[str, str]) -> str:
    """GETs cycling over ``paths``."""
    header_lines = "\n".join(f"wrk.headers[{_lua_quote(k)}] = {_lua_quote(v)}" for k, v in headers.items())
    path_list = ", ".join(_lua_quote(p) for p in paths)
    return f"""{_LUA_COMMON}
expected_status = 200
{header_lines}
local paths = {{{path_list}}}
local i = 0
function request()
  i = i + 1
  return wrk.format("GET", paths[(i - 1) % #paths + 1])
end
"""


def lua_post_reply(paths: list[str], headers: dict[str, str], csrf_token: str, body_text: str) -> str:
    """POSTs of a reply form, each with a fresh random UUID as its ``submission_token``, cycling
    over ``paths`` (the reply addresses of several threads)."""
    path_list = ", ".join(_lua_quote(p) for p in paths)
    header_lines = "\n".join(f"wrk.headers[{_lua_quote(k)}] = {_lua_quote(v)}" for k, v in headers.items())
    return f"""{_LUA_COMMON}
expected_status = 302
{header_lines}
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local paths = {{{path_list}}}
local counter = 0
function init(args)
  -- Each thread its own sequence: two threads drawing the same token would make the second
  -- POST a repeat that returns the first reply (a 302 too, but no new post).
  math.randomseed(os.time() * 1000 + thread_number * 7919)
end
local function uuid4()
  local template = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
  return (template:gsub("[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end
function request()
  counter = counter + 1
  local form = "csrfmiddlewaretoken=" .. {_lua_quote(csrf_token)}
    .. "&submission_token=" .. uuid4()
    .. "&body=" .. {_lua_quote(body_text)} .. "+" .. counter
  local path = paths[(counter + thread_number) % #paths + 1]
  -- wrk.format takes the whole header table: copy the common one and add this form's Referer.
  local headers = {{}}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Referer"] = "https://" .. wrk.headers["Host"] .. path
  return wrk.format("POST", path, headers, form)
end
"""


@dataclass
class WrkResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int  # responses other than the expected status, plus socket errors (connect, read, write, timeout)

    #: The server workers' CPU time per request during the run, in ms: steadier than
    #: requests/s on a machine shared with other work (it does not count time spent waiting
    #: for a core), though contention still inflates it somewhat.
    cpu_ms: float = 0.0

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run_wrk(
    server: Server, lua: str, *, duration: float, connections: int, threads: int = 2, first_path: str = "/"
) -> WrkResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    workers = server.worker_pids()
    cpu_before = cpu_seconds(workers)
    try:
        completed = subprocess.run(  # noqa: S603
            [
                WRK,
                f"--threads={min(threads, connections)}",
                f"--connections={connections}",
                f"--duration={max(1, round(duration))}s",
                "--timeout=10s",
                f"--script={script.name}",
                server.base + first_path,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(script.name)
    cpu_used = cpu_seconds(workers) - cpu_before
    match = re.search(r"BENCH-JSON (\{.*\})", completed.stdout)
    if match is None:
        raise SystemExit(f"wrk printed no result:\n{completed.stdout}\n{completed.stderr}")
    data = json.loads(match.group(1))
    # "status" (wrk's non-2xx/3xx count) is a subset of "unexpected"; socket errors are not.
    errors = data["connect"] + data["read"] + data["write"] + data["timeout"] + data["unexpected"]
    return WrkResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=errors,
        cpu_ms=cpu_used * 1000 / data["requests"] if data["requests"] else 0.0,
    )


def send_requests(server: Server, paths: list[str], cookie: str, count: int, connections: int) -> int:
    """Exactly ``count`` GETs over ``connections`` keep-alive connections, cycling over ``paths``;
    returns how many answered other than 200. For counting requests, not timing them (wrk runs
    for a duration and cannot stop after a number of requests)."""
    import http.client
    import itertools
    import threading

    numbers = itertools.count()
    failures = [0]
    lock = threading.Lock()
    headers = proxy_headers(server, cookie)

    def work() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        while (number := next(numbers)) < count:
            connection.request("GET", paths[number % len(paths)], headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                with lock:
                    failures[0] += 1
        connection.close()

    workers = [threading.Thread(target=work) for _ in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return failures[0]


def machine_description() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()
    return f"{os.cpu_count()} cores, {cpu}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
