"""The Celery application. Tasks are thin wrappers in each app's tasks.py that take ids."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("hearth")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="hearth.ping")
def ping() -> str:
    """Round-trip check used by health checks and the broker test."""
    return "pong"
