from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


@pytest.mark.django_db
def test_demo_community_loads_once_and_only_once():
    from forum.demo import load_demo
    from forum.models import Subforum, Thread

    assert load_demo().created
    counts = (Subforum.objects.count(), Thread.objects.count())
    assert counts[1] >= 12
    assert not load_demo().created
    assert (Subforum.objects.count(), Thread.objects.count()) == counts
