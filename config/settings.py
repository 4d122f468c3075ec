"""Hearth's one settings module, configured only by environment variables (see config/env.py).

With nothing set, Hearth runs on the *embedded default*: SQLite in WAL mode, the local-memory
cache, the in-memory channel layer and a folder-backed Celery broker, so `make run` needs no
servers. With ``DATABASE_URL`` and ``REDIS_URL`` it runs on PostgreSQL and Redis. The
``production`` profile refuses every embedded shortcut and turns on Django's deployment checks.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from config import env
from config.secret_key import embedded_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env.check_unknown(os.environ)

PROFILE: str = env.get("HEARTH_PROFILE")
PRODUCTION = PROFILE == "production"
# Debug pages only when asked for (DEBUG=true): the demo shows Hearth's own calm error pages.
_debug_raw = os.environ.get("DEBUG")
DEBUG: bool = env.get("DEBUG") if _debug_raw not in (None, "") else False
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production: debug pages would show members' data.")

SECRET_KEY = env.get("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production.")
    # Embedded default only: a random key made once per install and kept in var/ (mode 0600),
    # so nobody can forge a signed link, and sessions survive a restart of `make run`.
    SECRET_KEY = embedded_secret_key(VAR_DIR)

ALLOWED_HOSTS: list[str] = env.get("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS: list[str] = env.get("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",  # two-step sign-in: an authenticator app and recovery codes
    "mptt",
    "channels",
    "csp",
    "pgtrigger",
    "accounts",
    "forum",
    "moderation",
    "moderation.screening",
    "notifications",
    "health",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.PrimaryAfterWriteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Moderators and admins: staff pages open only after the second step (accounts/second_factor.py).
    "accounts.second_factor.StaffSecondFactorMiddleware",
    # Last, so its process_exception runs first: a form sent while PostgreSQL is unreachable
    # gets the member's words back (503), not the 500 page.
    "config.middleware.DatabaseOutageMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "forum.context_processors.site",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------

DATABASE_URL: str = env.get("DATABASE_URL")
if DATABASE_URL:
    if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// URL (or empty for SQLite).")
    _pool_raw = env.get("DATABASE_POOL_SIZE")
    try:
        DATABASE_POOL_SIZE = int(_pool_raw) if _pool_raw else (8 if PRODUCTION else 0)
    except ValueError:
        raise ImproperlyConfigured(f"DATABASE_POOL_SIZE must be a whole number, not {_pool_raw!r}.") from None
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            # A pooled connection is handed back after each request; Django refuses both at once.
            conn_max_age=0 if DATABASE_POOL_SIZE else env.get("DATABASE_CONN_MAX_AGE"),
            # Recover on the next request after PostgreSQL restarts, without restarting Hearth
            # (with the pool, Django has it check each connection before lending it).
            conn_health_checks=True,
        )
    }
    # A PostgreSQL that hangs (a lost host, a partition) fails a request after 5 s instead of
    # the operating system's minutes, so the crisis page and the "couldn't save" form answer.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    # JIT compilation pays off on long analytical queries; Hearth's are short and indexed, and
    # JIT compiled the deep listing query on every request (32-68 ms). Off for Hearth's sessions.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
    if DATABASE_POOL_SIZE:
        # psycopg's pool (Django 5.1+): connections are opened once per process and lent to
        # each request, instead of a new PostgreSQL connection (and backend process) per request.
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": min(2, DATABASE_POOL_SIZE),
            "max_size": DATABASE_POOL_SIZE,
            "timeout": 10,
        }
else:
    if PRODUCTION:
        raise ImproperlyConfigured("Production needs DATABASE_URL (PostgreSQL); SQLite is for the embedded default.")
    sqlite_path = Path(env.get("SQLITE_PATH"))
    if not sqlite_path.is_absolute():
        sqlite_path = BASE_DIR / sqlite_path
    sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": sqlite_path,
            "OPTIONS": {
                # WAL lets readers and one writer work at once; IMMEDIATE avoids "database is
                # locked" upgrades mid-transaction; busy timeout waits instead of failing.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if not USING_POSTGRES:
    # The covering indexes' INCLUDE columns are a PostgreSQL feature; on the embedded default
    # they are plain indexes, which is all a demo needs (no warning at every `make run`).
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
# A read replica takes the forum's listing reads (config/db_router.py); a browser that wrote in
# the last HEARTH_PRIMARY_AFTER_WRITE seconds reads the primary, so members see their own writes.
DATABASE_REPLICA_URL: str = env.get("DATABASE_REPLICA_URL")
HEARTH_PRIMARY_AFTER_WRITE: int = env.get("HEARTH_PRIMARY_AFTER_WRITE")
if DATABASE_REPLICA_URL:
    if not USING_POSTGRES or not DATABASE_REPLICA_URL.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs PostgreSQL for both the primary and the replica.")
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=env.get("DATABASE_CONN_MAX_AGE"),
        conn_health_checks=True,
        test_options={"MIRROR": "default"},
    )
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, channel layer, Celery ----------------------------------------------------
REDIS_URL: str = env.get("REDIS_URL")
#: The channel layer's Redis connections (docs/performance.md, "Websocket fan-out").
#: channels-redis waits for messages with a blocking BZPOPMIN of 5 s (``brpop_timeout``).
#: - No asyncio read timeout (``socket_timeout: None``): redis-py's default of 5 s equals the pop,
#:   so on a busy host its empty answer landed just after the client gave up and every reader
#:   waiting on that worker lost its consumer. Any number here makes redis-py send each command
#:   through ``asyncio.wait_for``, which on Python 3.11 swallows a cancellation that lands as the
#:   send completes: a closed socket's receive then kept popping forever (with 15 s, the consumer
#:   tests hung at teardown). A dead Redis is still noticed, by TCP keepalive with redis-py 8's
#:   probes (Linux: 30 s idle, then 3 probes 5 s apart): about 45 s, well above the pop.
#: - Connecting keeps its own 5 s limit.
#: - 1,000 connections a worker: 250 readers leaving one worker at once exceeded redis-py's
#:   default pool of 100, and their group_discard failed.
CHANNEL_LAYER_REDIS_HOST: dict = {
    "address": REDIS_URL,
    "socket_timeout": None,
    "socket_connect_timeout": 5,
    "socket_keepalive": True,
    "max_connections": 1000,
}
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache whose failures are logged misses (config/cache.py): with Redis
            # down, pages read PostgreSQL and limits fail open instead of answering 500.
            "BACKEND": "config.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "hearth",
            # Short timeouts: a Redis that hangs costs a request half a second, not forever.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [CHANNEL_LAYER_REDIS_HOST], "prefix": "hearth:ws"},
        }
    }
else:
    if PRODUCTION:
        raise ImproperlyConfigured("Production needs REDIS_URL for the cache, websockets and jobs.")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

CELERY_BROKER_URL: str = env.get("CELERY_BROKER_URL") or REDIS_URL or "filesystem://"
CELERY_TASK_ALWAYS_EAGER: bool = env.get("CELERY_TASK_ALWAYS_EAGER")
if PRODUCTION and (CELERY_TASK_ALWAYS_EAGER or CELERY_BROKER_URL.startswith("filesystem")):
    raise ImproperlyConfigured("Production needs a real Celery broker; eager and folder brokers are for development.")
# With the broker down, queueing a job from a request fails at once (one quick retry) instead
# of after kombu's default retries (about 6 s): posting never waits on the broker, and the
# screening sweeper queues what could not be queued.
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
# A worker killed outright (not one pool child: Celery requeues that one at once) leaves its task
# unacknowledged in Redis. Redis hands it to another worker once it has been out this long, and
# the workers look for such tasks every 5 s, so it runs again within a minute. Every task that
# acknowledges late finishes in seconds (the long batch jobs acknowledge early and resume on
# their next run) and retries sooner than this, so no task is handed out twice while it runs.
HEARTH_TASK_REDELIVERY_SECONDS: int = env.get("HEARTH_TASK_REDELIVERY_SECONDS")
CELERY_BROKER_TRANSPORT_OPTIONS.update(
    {
        "visibility_timeout": HEARTH_TASK_REDELIVERY_SECONDS,
        "unacked_restore_interval": 5,
        "unacked_restore_throttle": 1,
        # A worker that serves several queues takes screening first and the batch jobs last.
        "queue_order_strategy": "priority",
    }
)
if CELERY_BROKER_URL.startswith("filesystem"):
    # No broker server on the embedded default: kombu passes messages through a folder.
    _broker_dir = VAR_DIR / "broker"
    for sub in ("queue", "processed", "control"):
        (_broker_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
# Queues by job, so each can have workers (and hosts) of its own (docs/operations.md): screening
# first, then the rest, then the long batch jobs. A worker started without -Q serves all three.
CELERY_TASK_QUEUES = (Queue("screening"), Queue("celery"), Queue("batch"))
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "screening.rescreen_run": {"queue": "batch"},
    "screening.*": {"queue": "screening"},
    "notifications.send_daily_digests": {"queue": "batch"},
    "health.*": {"queue": "batch"},
}
CELERY_TASK_ACKS_LATE = True  # a killed worker's task runs again; tasks are idempotent
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULE: dict = {
    # Re-queues the screening of posts whose current text has none after a grace period
    # (broker down, worker killed, deploy): see moderation/screening/tasks.py.
    "screening-sweeper": {"task": "screening.sweep", "schedule": 60.0},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = "UTC"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    # Django's similarity check, also against the public pseudonym (accounts/passwords.py).
    {"NAME": "accounts.passwords.PseudonymSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.PublishedPasswordValidator"},  # the demo's printed password
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "forum:home"
ACCOUNT_ADAPTER = "accounts.adapter.HearthAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None  # members sign in by email; the public name is the pseudonym
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_REDIRECT_URL = "forum:welcome"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Hearth] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Two-step sign-in (allauth.mfa): any member may turn it on; staff must (accounts/second_factor.py).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Hearth"
MFA_ADAPTER = "accounts.adapter.HearthMFAAdapter"
# Wrong codes are counted like wrong passwords (accounts/limits.py): allauth would count them
# under "login_failed", which is switched off below in favour of Hearth's own sign-in limits.
MFA_FORMS = {
    "authenticate": "accounts.forms.SecondFactorCodeForm",
    "reauthenticate": "accounts.forms.SecondFactorConfirmForm",
}
# URL namespaces that staff open only after the second step in this session.
HEARTH_SECOND_FACTOR_NAMESPACES = ("admin", "moderation", "health")
# Staff-only pages outside those namespaces (an admin erasing a member's account).
HEARTH_SECOND_FACTOR_VIEW_NAMES = ("privacy:admin_erase",)
# Wrong passwords are counted by Hearth (accounts/limits.py, through the adapter) per account
# and address and per address, never per account alone: allauth's per-account key would let
# anyone lock a member out. allauth still limits sign-ups per address, with the address from
# accounts.client_address (the adapter's get_client_ip).
HEARTH_LIMIT_SIGNUPS = env.get("HEARTH_LIMIT_SIGNUPS")
ACCOUNT_RATE_LIMITS = {
    "login_failed": None,
    "signup": f"{HEARTH_LIMIT_SIGNUPS}/ip" if HEARTH_LIMIT_SIGNUPS else None,
}

# --- Email ----------------------------------------------------------------------------------
_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
_email_choice: str = env.get("EMAIL_BACKEND") or ("smtp" if PRODUCTION else "console")
EMAIL_BACKEND = _EMAIL_BACKENDS.get(_email_choice, _email_choice)
EMAIL_HOST = env.get("EMAIL_HOST")
EMAIL_PORT = env.get("EMAIL_PORT")
EMAIL_HOST_USER = env.get("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.get("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.get("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    WHITENOISE_USE_FINDERS = True  # serve static/ directly without collectstatic on the embedded default
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Security headers -----------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# No inline script or style anywhere: the few scripts are files, and get a nonce if inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.get("HEARTH_SECURE_SSL_REDIRECT")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.get("LOG_LEVEL")},
}

# --- Hearth ---------------------------------------------------------------------------------
HEARTH_MAX_TITLE_LENGTH: int = env.get("HEARTH_MAX_TITLE_LENGTH")
HEARTH_MAX_POST_LENGTH: int = env.get("HEARTH_MAX_POST_LENGTH")
HEARTH_POSTS_PER_PAGE: int = env.get("HEARTH_POSTS_PER_PAGE")
HEARTH_THREADS_PER_PAGE: int = env.get("HEARTH_THREADS_PER_PAGE")
HEARTH_MAX_REPLY_DEPTH: int = env.get("HEARTH_MAX_REPLY_DEPTH")
HEARTH_NEW_MEMBER_DAYS: int = env.get("HEARTH_NEW_MEMBER_DAYS")
HEARTH_ALLOW_IMAGES: bool = env.get("HEARTH_ALLOW_IMAGES")
HEARTH_SCREENING_LEARNED: bool = env.get("HEARTH_SCREENING_LEARNED")
HEARTH_SCREENING_CONTEXT: bool = env.get("HEARTH_SCREENING_CONTEXT")
# Read by moderation.screening.context_check itself (it runs outside Django too); here so
# that a bad value is reported with the rest.
HEARTH_SCREENING_CONTEXT_WEIGHTS: str = env.get("HEARTH_SCREENING_CONTEXT_WEIGHTS")
HEARTH_HELP_SNAPSHOT: str = env.get("HEARTH_HELP_SNAPSHOT")  # forum/help_snapshot.py
HEARTH_PREMODERATE_FIRST_POSTS: int = env.get("HEARTH_PREMODERATE_FIRST_POSTS")
HEARTH_QUEUE_OVERDUE_HIGH_MINUTES: int = env.get("HEARTH_QUEUE_OVERDUE_HIGH_MINUTES")
HEARTH_QUEUE_OVERDUE_MINUTES: int = env.get("HEARTH_QUEUE_OVERDUE_MINUTES")
HEARTH_REPORTS_PER_HOUR: int = env.get("HEARTH_REPORTS_PER_HOUR")

# --- Who is asking, and how often (accounts/client_address.py, accounts/limits.py) -----------
# X-Forwarded-For is believed only from these proxies; the member's address is the right-most
# one they did not add themselves. Empty: the connection's own address, whatever the headers say.
HEARTH_TRUSTED_PROXIES: list[str] = env.get("HEARTH_TRUSTED_PROXIES")
# Each a Rate (at most N in a period) per member, or None for no limit; see docs/configuration.md.
HEARTH_LIMIT_REPLIES = env.get("HEARTH_LIMIT_REPLIES")
HEARTH_LIMIT_THREADS = env.get("HEARTH_LIMIT_THREADS")
HEARTH_LIMIT_EDITS = env.get("HEARTH_LIMIT_EDITS")
HEARTH_LIMIT_REACTIONS = env.get("HEARTH_LIMIT_REACTIONS")
HEARTH_LIMIT_SIGNIN_FAILURES = env.get("HEARTH_LIMIT_SIGNIN_FAILURES")
HEARTH_LIMIT_SIGNIN_FAILURES_PER_ADDRESS = env.get("HEARTH_LIMIT_SIGNIN_FAILURES_PER_ADDRESS")
HEARTH_LIMIT_NEW_MEMBER_DAYS: int = env.get("HEARTH_LIMIT_NEW_MEMBER_DAYS")
HEARTH_LIMIT_NEW_MEMBER_DIVISOR: int = env.get("HEARTH_LIMIT_NEW_MEMBER_DIVISOR")
HEARTH_LIMIT_ADDRESS_MULTIPLE: int = env.get("HEARTH_LIMIT_ADDRESS_MULTIPLE")
if HEARTH_LIMIT_NEW_MEMBER_DIVISOR < 1 or HEARTH_LIMIT_ADDRESS_MULTIPLE < 1:
    raise ImproperlyConfigured("HEARTH_LIMIT_NEW_MEMBER_DIVISOR and HEARTH_LIMIT_ADDRESS_MULTIPLE must be 1 or more.")
HEARTH_SCREENING_GRACE_SECONDS: int = env.get("HEARTH_SCREENING_GRACE_SECONDS")
HEARTH_SCREENING_SWEEP_DAYS: int = env.get("HEARTH_SCREENING_SWEEP_DAYS")

# --- The unanswered-thread rescue (forum/rescue.py) ------------------------------------------
HEARTH_UNANSWERED_T1: timedelta = env.get("HEARTH_UNANSWERED_T1")
HEARTH_UNANSWERED_T2: timedelta = env.get("HEARTH_UNANSWERED_T2")
if not HEARTH_UNANSWERED_T1 < HEARTH_UNANSWERED_T2 < timedelta(hours=24):
    # Half of the people who get no reply within a day do not come back: moderators must
    # hear of an unanswered thread before that mark, and after helpers have had their chance.
    raise ImproperlyConfigured("HEARTH_UNANSWERED_T1 must be shorter than HEARTH_UNANSWERED_T2, and T2 under 24h.")
# Every 5 minutes, or more often when T1 is short (a demo with T1=1m sees it within a minute).
HEARTH_UNANSWERED_EVERY: timedelta = env.get("HEARTH_UNANSWERED_EVERY") or min(
    timedelta(minutes=5), max(HEARTH_UNANSWERED_T1 / 6, timedelta(seconds=5))
)
HEARTH_HELPER_DAILY_LIMIT: int = env.get("HEARTH_HELPER_DAILY_LIMIT")
CELERY_BEAT_SCHEDULE["forum-rescue-unanswered"] = {
    "task": "forum.rescue_unanswered",
    "schedule": HEARTH_UNANSWERED_EVERY.total_seconds(),
}

# --- Notifications by email (notifications/email.py) -------------------------------------------
HEARTH_SITE_URL: str = env.get("HEARTH_SITE_URL")
HEARTH_DIGEST_HOUR: int = env.get("HEARTH_DIGEST_HOUR")
if not 0 <= HEARTH_DIGEST_HOUR <= 23:
    raise ImproperlyConfigured("HEARTH_DIGEST_HOUR must be an hour of the day, 0 to 23.")
CELERY_BEAT_SCHEDULE["notifications-daily-digest"] = {
    "task": "notifications.send_daily_digests",
    "schedule": crontab(hour=HEARTH_DIGEST_HOUR, minute=0),
}

# --- Forum health (health/rollup.py): figures for the dashboard, rolled up nightly -------------
CELERY_BEAT_SCHEDULE["health-nightly-rollup"] = {
    "task": "health.rollup_recent",
    "schedule": crontab(hour=2, minute=30),
}

# --- Data rights and retention (privacy/) ------------------------------------------------------
HEARTH_RETENTION_IP_DAYS: int = env.get("HEARTH_RETENTION_IP_DAYS")
HEARTH_RETENTION_NOTIFICATIONS_DAYS: int = env.get("HEARTH_RETENTION_NOTIFICATIONS_DAYS")
HEARTH_ERASURE_GRACE_DAYS: int = env.get("HEARTH_ERASURE_GRACE_DAYS")
HEARTH_EXPORT_DAYS: int = env.get("HEARTH_EXPORT_DAYS")
HEARTH_ADDRESS_HASH_KEY: str = env.get("HEARTH_ADDRESS_HASH_KEY")
HEARTH_SECURITY_CONTACT: str = env.get("HEARTH_SECURITY_CONTACT")
for _name in ("HEARTH_RETENTION_IP_DAYS", "HEARTH_RETENTION_NOTIFICATIONS_DAYS", "HEARTH_EXPORT_DAYS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1 day.")
if HEARTH_ERASURE_GRACE_DAYS < 0:
    raise ImproperlyConfigured("HEARTH_ERASURE_GRACE_DAYS must be 0 or more days.")
if HEARTH_SECURITY_CONTACT and not HEARTH_SECURITY_CONTACT.startswith(("mailto:", "https://")):
    raise ImproperlyConfigured("HEARTH_SECURITY_CONTACT must be a mailto: or https:// address.")
# Nightly, after the rollup: purge what is past its retention period, then carry out the
# account deletions whose grace period has ended.
CELERY_BEAT_SCHEDULE["privacy-retention-purge"] = {
    "task": "privacy.retention_purge",
    "schedule": crontab(hour=3, minute=15),
}
CELERY_BEAT_SCHEDULE["privacy-erasures-due"] = {
    "task": "privacy.erasures_carry_out",
    "schedule": crontab(minute=40),  # hourly: a deletion waits at most an hour past its grace period
}
# --- Benchmark mode (bench/pages.py; docs/performance.md) --------------------------------------
# Off everywhere but a benchmark run: then the ceiling page is routed (config/urls_bench.py) and a
# request that asks for it gets its SQL query count in a response header. Both are outside the
# public URL space and middleware chain unless this is on.
HEARTH_BENCH: bool = env.get("HEARTH_BENCH")
if HEARTH_BENCH:
    ROOT_URLCONF = "config.urls_bench"
    MIDDLEWARE.insert(0, "config.bench.QueryCountMiddleware")
