"""The production files, checked without a Docker engine: docker-compose.yml and the Dockerfile.

No Docker runs on the test machines, so these tests read the files: a service without a
healthcheck, a start-up race with the database, or a misspelt variable that settings would refuse
must fail here rather than on the first deploy.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from config.env import VARIABLES

ROOT = Path(__file__).resolve().parent.parent
HEARTH_SERVICES = ("web", "worker", "scheduler")
BACKING_SERVICES = ("postgres", "redis")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dockerfile() -> list[str]:
    """Dockerfile instructions, with continuation lines joined and comments dropped."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    return [line.strip() for line in joined.splitlines() if line.strip()]


def _environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):  # the `- NAME=value` form
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return env


def test_the_five_services_exist(compose):
    assert set(HEARTH_SERVICES + BACKING_SERVICES) <= set(compose["services"])


@pytest.mark.parametrize("name", HEARTH_SERVICES + BACKING_SERVICES)
def test_every_service_has_a_healthcheck_command(compose, name):
    healthcheck = compose["services"][name].get("healthcheck")
    assert healthcheck, f"{name} has no healthcheck"
    assert not healthcheck.get("disable"), f"{name} disables its healthcheck"
    test = healthcheck.get("test")
    assert test, f"{name}'s healthcheck has no test command"
    if isinstance(test, list):
        assert test[0] in ("CMD", "CMD-SHELL") and len(test) > 1, f"{name}: {test!r}"


@pytest.mark.parametrize("name", HEARTH_SERVICES)
def test_hearth_processes_wait_for_healthy_postgres_and_redis(compose, name):
    depends_on = compose["services"][name].get("depends_on")
    assert isinstance(depends_on, dict), f"{name} needs depends_on with conditions, not a bare list"
    for backing in BACKING_SERVICES:
        assert depends_on.get(backing, {}).get("condition") == "service_healthy", (name, backing)


def _volume_source(mount: str | dict, target: str) -> str | None:
    """The source of a mount (short `src:dst` or long form) onto target, else None."""
    if isinstance(mount, str):
        source, _, rest = mount.partition(":")
        return source if rest.split(":")[0] == target else None
    return mount.get("source") if mount.get("target") == target else None


def test_postgres_data_lives_on_a_declared_named_volume(compose):
    declared = set(compose.get("volumes") or {})
    mounts = compose["services"]["postgres"].get("volumes") or []
    sources = {_volume_source(m, "/var/lib/postgresql/data") for m in mounts} - {None}
    assert sources, "postgres's data directory is not mounted"
    assert sources <= declared, f"{sources} must be named volumes declared under volumes:"


@pytest.mark.parametrize("name", HEARTH_SERVICES)
def test_every_variable_passed_to_hearth_is_declared(compose, name):
    env = _environment(compose["services"][name])
    assert env, f"{name} gets no environment"
    undeclared = sorted(set(env) - set(VARIABLES))
    assert not undeclared, f"{name} passes {undeclared}, which config/env.py does not declare"


@pytest.mark.parametrize("name", HEARTH_SERVICES)
def test_hearth_runs_the_production_profile_on_postgres_and_redis(compose, name):
    env = _environment(compose["services"][name])
    assert env.get("HEARTH_PROFILE") == "production"
    assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:6379/")
    # The secret comes from the deployer and stopping is better than a default.
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")


def test_web_migrates_then_serves_the_asgi_app(compose):
    command = compose["services"]["web"]["command"]
    command = " ".join(command) if isinstance(command, list) else command
    assert command.index("migrate --no-input") < command.index("uvicorn config.asgi:application")


def test_no_server_believes_forwarded_headers_from_anyone(compose, dockerfile):
    """Uvicorn with --forwarded-allow-ips '*' let a made-up X-Forwarded-For dodge every
    per-address limit. Hearth reads the header itself, from HEARTH_TRUSTED_PROXIES only
    (accounts/client_address.py), so each way of starting uvicorn turns its proxy headers off."""
    web = compose["services"]["web"]["command"]
    web = " ".join(web) if isinstance(web, list) else web
    cmd = next(line for line in dockerfile if line.startswith("CMD "))
    launcher = (ROOT / "config" / "launcher.py").read_text(encoding="utf-8")
    live = (ROOT / "tests" / "live_server.py").read_text(encoding="utf-8")
    for where, text in (("compose", web), ("Dockerfile", cmd), ("launcher", launcher), ("live server", live)):
        assert "--no-proxy-headers" in text, where
        assert "forwarded-allow-ips" not in text.lower() and "FORWARDED_ALLOW_IPS" not in text, where


def test_compose_trusts_the_gateway_a_proxy_on_the_host_comes_through(compose):
    env = _environment(compose["services"]["web"])
    gateway = compose["networks"]["default"]["ipam"]["config"][0]["gateway"]
    assert env["HEARTH_TRUSTED_PROXIES"] == "${HEARTH_TRUSTED_PROXIES:-" + gateway + "}"


def test_dockerfile_does_not_run_as_root(dockerfile):
    users = [line.split(None, 1)[1].strip() for line in dockerfile if line.upper().startswith("USER ")]
    assert users, "the Dockerfile has no USER line, so the image runs as root"
    assert users[-1].split(":")[0] not in ("root", "0")


def test_dockerfile_installs_without_dev_extras(dockerfile):
    installs = [line for line in dockerfile if re.search(r"\bpip install\b", line)]
    assert installs, "the Dockerfile never runs pip install"
    assert any(re.search(r"pip install (--\S+ )*\.(\s|$|&)", line) for line in installs), installs
    for line in installs:
        assert "[dev]" not in line, f"dev extras in the production image: {line}"


def test_dockerfile_bakes_no_secret_into_the_environment(dockerfile):
    env_lines = " ".join(line for line in dockerfile if line.upper().startswith("ENV "))
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "HEARTH_PROFILE"):
        assert name not in env_lines, f"{name} must come from the environment at run time, not ENV"


def test_the_image_carries_the_screening_context_checks_base_weights(dockerfile):
    """Fetched and checked at build, after the code is in place, so that no container
    downloads anything at run time (docs/operations.md)."""
    runs = [line for line in dockerfile if line.startswith("RUN ")]
    fetch = next((i for i, line in enumerate(dockerfile) if "scripts/fetch_screening_base.py" in line), None)
    assert fetch is not None and dockerfile[fetch] in runs
    assert fetch > next(i for i, line in enumerate(dockerfile) if line.startswith("COPY . "))


def test_the_image_keeps_numpy_to_one_thread_per_process(dockerfile):
    """Web and worker run a process per core; BLAS threads on top oversubscribe the cores
    (a context-check reread took five times as long with two workers busy)."""
    env = " ".join(line for line in dockerfile if line.startswith("ENV "))
    assert "OPENBLAS_NUM_THREADS=1" in env
