"""Calm error pages. A refusal explains itself kindly; nothing reveals whether a hidden thing exists."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from forum import help_snapshot


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else "You don't have access to this page."
    return render(request, "errors/403.html", {"message": message}, status=403)


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # Rendered without a request context: this page must work even when the database does not,
    # and lists the crisis lines from their snapshot file (forum/help_snapshot.py).
    return HttpResponseServerError(
        loader.get_template("errors/500.html").render({"help": help_snapshot.snapshot_read()})
    )
