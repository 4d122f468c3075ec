"""The Django side: seeded rules, the version and the per-version cache, the admin, the
command's contract."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from moderation.screening import selectors, services
from moderation.screening.defaults import default_rule_specs
from moderation.screening.models import RuleSetVersion, ScreeningRule

from ..conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rules_alone(settings):
    """These tests pin what the database rules do; the learned model and the context check
    are tested on their own (test_learned.py, test_context_check.py) and, switched on, at
    the end of this module."""
    settings.HEARTH_SCREENING_LEARNED = False
    settings.HEARTH_SCREENING_CONTEXT = False


@pytest.fixture
def admin_client_(client, admin_user):
    return client_for(client, admin_user)


def test_migrations_seed_the_default_rules_at_version_1():
    assert ScreeningRule.objects.count() == len(default_rule_specs())
    assert selectors.ruleset_version_current() == "db-1"


def test_the_active_rule_set_is_compiled_once_per_version(django_assert_num_queries):
    first = selectors.active_ruleset()
    with django_assert_num_queries(1):  # only the version row is read
        assert selectors.active_ruleset() is first
    rule = ScreeningRule.objects.get(name="suicide.signal.kms")
    services.screening_rules_set_enabled(rules=[rule], enabled=False)
    second = selectors.active_ruleset()
    assert second is not first
    assert second.version.split("+")[0] == "db-2"
    assert selectors.active_ruleset() is second


def test_every_kind_of_edit_moves_the_version():
    rule = ScreeningRule.objects.get(name="suicide.signal.kms")
    before = RuleSetVersion.objects.get().number
    rule.level = "high"
    services.screening_rule_save(rule=rule)
    services.screening_rules_set_enabled(rules=[rule], enabled=False)
    services.screening_rules_delete(rules=[rule])
    assert RuleSetVersion.objects.get().number == before + 3


def test_a_disabled_rule_stops_matching():
    from moderation.screening.engine import screen

    assert screen("kms", selectors.active_ruleset()).level == "medium"
    rule = ScreeningRule.objects.get(name="suicide.signal.kms")
    services.screening_rules_set_enabled(rules=[rule], enabled=False)
    assert screen("kms", selectors.active_ruleset()).level == "none"


def test_a_bad_row_that_slipped_past_the_admin_is_left_out_not_fatal():
    ScreeningRule.objects.create(name="broken", category="suicide", level="low", kind="pattern", value="(unclosed")
    services.ruleset_version_bump()
    ruleset = selectors.active_ruleset()
    assert "broken" not in {r.name for r in ruleset.rules}


# --- the admin -----------------------------------------------------------------------------
def _add_rule(client, **fields):
    data = {
        "name": "custom.rule",
        "category": "suicide",
        "level": "low",
        "role": "signal",
        "kind": "pattern",
        "value": "x",
        "enabled": "on",
        "note": "",
    }
    data.update(fields)
    return client.post(reverse("admin:screening_screeningrule_add"), data)


def test_admin_refuses_a_pattern_that_does_not_compile(admin_client_):
    response = _add_rule(admin_client_, value="(unclosed")
    assert response.status_code == 200
    assert "the pattern does not compile" in response.content.decode()
    assert not ScreeningRule.objects.filter(name="custom.rule").exists()


def test_admin_refuses_a_catastrophically_slow_pattern(admin_client_):
    response = _add_rule(admin_client_, value=r"(a+)+$")
    assert "takes too long" in response.content.decode()
    assert not ScreeningRule.objects.filter(name="custom.rule").exists()


def test_admin_saves_a_good_rule_and_moves_the_version(admin_client_):
    before = selectors.ruleset_version_current()
    response = _add_rule(admin_client_, value=r"\bgloomy sky\b")
    assert response.status_code == 302
    assert ScreeningRule.objects.filter(name="custom.rule").exists()
    assert selectors.ruleset_version_current() != before


def test_admin_can_try_the_rules_and_sees_highlighted_matches(admin_client_):
    url = reverse("admin:screening_screeningrule_try")
    assert admin_client_.get(url).status_code == 200
    response = admin_client_.post(url, {"text": "<b>hi</b> I want to die tonight"})
    page = response.content.decode()
    assert "high" in page
    assert "<mark" in page and ">want to die</mark>" in page
    assert "&lt;b&gt;hi&lt;/b&gt;" in page  # the pasted text is escaped


def test_a_member_cannot_open_the_try_page(member_client):
    response = member_client.get(reverse("admin:screening_screeningrule_try"))
    assert response.status_code == 302  # sent to the admin login
    assert "/login/" in response["Location"]


# --- the command ---------------------------------------------------------------------------
def _run(tmp_path, lines: list[str]) -> tuple[list[dict], str, int]:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("screen_text", str(path), stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return [json.loads(x) for x in out.getvalue().splitlines()], err.getvalue(), code


def test_command_writes_one_line_per_input_in_order(tmp_path):
    text = "so i w\u200bant to d i e"
    rows, err, code = _run(
        tmp_path,
        [json.dumps({"id": 1, "text": "hello"}), json.dumps({"id": "b", "text": text})],
    )
    assert code == 0 and err == ""
    assert [r["id"] for r in rows] == [1, "b"]
    assert rows[0] == {"id": 1, "level": "none", "categories": [], "matches": [], "route": "none"}
    (match,) = rows[1]["matches"]
    assert set(match) == {"category", "rule", "text", "start", "end"}
    assert text[match["start"] : match["end"]] == match["text"] == "w\u200bant to d i e"


def test_command_reports_bad_lines_with_their_number_and_exits_1(tmp_path):
    rows, err, code = _run(
        tmp_path,
        [
            json.dumps({"id": 1, "text": "kms"}),
            "{not json",
            json.dumps({"id": 3, "text": 42}),
            json.dumps(["text"]),
            json.dumps({"id": 5, "text": "fine"}),
        ],
    )
    assert code == 1
    assert [r["id"] for r in rows] == [1, 5]
    assert "line 2:" in err and "line 3:" in err and "line 4:" in err
    assert "line 1:" not in err and "line 5:" not in err


def test_command_prints_the_route_the_policy_would_take(tmp_path, settings):
    settings.HEARTH_SCREENING_LEARNED = True  # a confident high needs both stages
    lines = [
        json.dumps(
            {"id": "plan", "text": "I've decided. I'm going to kill myself tonight, I have the pills saved up."}
        ),
        json.dumps({"id": "walk", "text": "Had a lovely walk by the river today."}),
    ]
    rows, _, code = _run(tmp_path, lines)
    assert code == 0
    assert {r["id"]: r["route"] for r in rows} == {"plan": "hold", "walk": "none"}
    out = io.StringIO()
    path = tmp_path / "in.jsonl"
    call_command("screen_text", str(path), "--policy", "never", stdout=out)
    assert json.loads(out.getvalue().splitlines()[0])["route"] == "urgent"


def test_command_reads_standard_input(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO('{"id": 7, "text": "I want to die"}\n'))
    out = io.StringIO()
    call_command("screen_text", "-", stdout=out)
    assert json.loads(out.getvalue())["level"] == "medium"


def test_command_uses_the_database_rules(tmp_path):
    rule = ScreeningRule.objects.get(name="suicide.signal.kms")
    services.screening_rules_set_enabled(rules=[rule], enabled=False)
    rows, _, _ = _run(tmp_path, [json.dumps({"id": 1, "text": "kms"})])
    assert rows[0]["level"] == "none"


def test_the_product_screens_with_the_learned_model_unless_it_is_switched_off(settings, tmp_path):
    settings.HEARTH_SCREENING_LEARNED = True
    settings.HEARTH_SCREENING_CONTEXT = True
    ruleset = selectors.active_ruleset()
    assert ruleset.model is not None
    checks = [ruleset.context_check.version] if ruleset.context_check is not None else []
    assert ruleset.version == "+".join(["db-1", ruleset.model.version, *checks])
    text = "> kms\nhey, I'm here if you want to talk. no judgement 💛"
    rows, err, code = _run(tmp_path, [json.dumps({"id": 1, "text": text})])
    assert code == 0 and err == ""
    for match in rows[0]["matches"]:
        assert set(match) == {"category", "rule", "text", "start", "end"}
        assert text[match["start"] : match["end"]] == match["text"]
    settings.HEARTH_SCREENING_CONTEXT = False
    assert selectors.active_ruleset().context_check is None
    settings.HEARTH_SCREENING_LEARNED = False
    assert selectors.active_ruleset().model is None


@pytest.mark.context_check
def test_the_product_rereads_flagged_posts_with_the_context_check(settings, tmp_path):
    settings.HEARTH_SCREENING_LEARNED = True
    settings.HEARTH_SCREENING_CONTEXT = True
    assert selectors.active_ruleset().context_check is not None
    text = "Said goodbye to my old car today, gave the keys to the scrap yard. End of an era."
    rows, err, code = _run(tmp_path, [json.dumps({"id": 1, "text": text})])
    assert code == 0 and err == ""
    assert rows[0]["level"] == "low"


def test_new_default_rules_reach_an_existing_database_without_touching_admins_rules():
    kms = ScreeningRule.objects.get(name="suicide.signal.kms")
    kms.value = "kms2"
    kms.save()
    ScreeningRule.objects.filter(name="suicide.signal.want_to_die").delete()
    before = selectors.ruleset_version_current()

    out = io.StringIO()
    call_command("screening_defaults", "--dry-run", stdout=out)
    assert "would add 1 default rule(s)" in out.getvalue()
    assert not ScreeningRule.objects.filter(name="suicide.signal.want_to_die").exists()
    assert selectors.ruleset_version_current() == before

    out = io.StringIO()
    call_command("screening_defaults", stdout=out)
    assert "+ suicide.signal.want_to_die" in out.getvalue()
    assert "~ suicide.signal.kms" in out.getvalue()
    assert ScreeningRule.objects.filter(name="suicide.signal.want_to_die").exists()
    assert ScreeningRule.objects.get(name="suicide.signal.kms").value == "kms2"  # the admin's edit stays
    assert selectors.ruleset_version_current() != before

    out = io.StringIO()
    call_command("screening_defaults", stdout=out)  # nothing left to add: the version stays
    after = selectors.ruleset_version_current()
    assert "added 0 default rule(s)" in out.getvalue()
    call_command("screening_defaults", stdout=io.StringIO())
    assert selectors.ruleset_version_current() == after
