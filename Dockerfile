# Hearth's production image: uvicorn serving config.asgi (HTTP and websockets); the same image
# runs the Celery worker and scheduler (see docker-compose.yml). Configuration comes only from
# the environment at run time (docs/configuration.md); nothing secret is baked in.
FROM python:3.11-slim

# PYTHONPATH: import Hearth from /app, where templates/ and static/ sit next to the code, never
# from the copy `pip install .` leaves in site-packages. One BLAS/OpenMP thread per process
# (web and worker run a process per core); the screening context check's onnxruntime session
# is built with one thread in moderation/screening/context_runtime.py.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OPENBLAS_NUM_THREADS=1 \
    OMP_NUM_THREADS=1 \
    PYTHONPATH=/app

RUN groupadd --system hearth && useradd --system --gid hearth --home-dir /app --no-create-home hearth

WORKDIR /app

# Dependencies first, in their own layer, so a code change does not reinstall them. The install
# is the runtime set only: no [dev] extras (pytest, ruff...) in the production image.
COPY pyproject.toml ./
RUN pip install . && pip uninstall --yes hearth

COPY . .
RUN pip install --no-deps . && rm -rf build ./*.egg-info

# The screening context check's base weights (87 MB, checked against their published
# SHA-256) go into the image, so that no container downloads anything at run time.
RUN python scripts/fetch_screening_base.py

# Static files are collected once, at build. Production settings refuse to import without a
# secret key, database and Redis, so this step alone gets throwaway values: collectstatic
# connects to neither, and none of them is kept in the image (ARG, not ENV). The code and the
# collected files stay root-owned, read-only to the app; var/ itself is the app's, for the
# Celery beat schedule file.
ARG BUILD_SECRET_KEY=collectstatic-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz
ARG BUILD_DATABASE_URL=postgres://build@127.0.0.1:5432/build
ARG BUILD_REDIS_URL=redis://127.0.0.1:6379/0
RUN HEARTH_PROFILE=production \
    SECRET_KEY="$BUILD_SECRET_KEY" \
    DATABASE_URL="$BUILD_DATABASE_URL" \
    REDIS_URL="$BUILD_REDIS_URL" \
    python manage.py collectstatic --no-input \
    && chown hearth:hearth /app/var

USER hearth

EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import socket; socket.create_connection(('127.0.0.1', 8000), timeout=3).close()"]

# Uvicorn never rewrites the client's address from forwarded headers: Hearth reads
# X-Forwarded-For itself, only from the proxies in HEARTH_TRUSTED_PROXIES (docs/operations.md).
CMD ["uvicorn", "config.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--workers", "2", "--no-proxy-headers"]
