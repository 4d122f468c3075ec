"""Reads: the active rule set, compiled once per rule-set version.

``active_ruleset()`` costs one small query (the version row) when nothing has changed; it
recompiles only when an edit has moved the version. The cache is per process (a plain
dict), which is right for web workers and Celery workers alike: each notices the new
version on its next screening.

Thread safety: uvicorn runs sync views in a thread pool, so several threads may screen at
once with the same ``CompiledRuleSet``. Compiling happens under a lock; screening only reads
the compiled automaton and patterns, and the engine's per-process caches (chunk pieces, the
learned model's chunk scores, combined pattern alternations) are plain dicts whose single
get and set operations are atomic, so a race costs at most a recomputation, never a wrong
answer (``tests/screening/test_threads.py`` screens from many threads and compares).
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings

from .context_check import default_context_check
from .engine import CompiledRuleSet, check_rule, compile_ruleset, compiled_version
from .learned import default_model
from .models import RuleSetVersion, ScreeningRule

logger = logging.getLogger(__name__)

_compiled: dict[str, CompiledRuleSet] = {}
_lock = threading.Lock()


def ruleset_version_current() -> str:
    """The version label of the rules in the database ("db-0" before any rule exists)."""
    number = RuleSetVersion.objects.filter(pk=1).values_list("number", flat=True).first()
    return f"db-{number or 0}"


def screening_rules_enabled() -> list[ScreeningRule]:
    return list(ScreeningRule.objects.filter(enabled=True).order_by("pk"))


def active_ruleset(*, context: bool = True) -> CompiledRuleSet:
    """The compiled enabled rules for the current version, with the shipped learned model
    unless ``HEARTH_SCREENING_LEARNED`` is off and the context check unless
    ``HEARTH_SCREENING_CONTEXT`` is off or its base weights are missing (the compiled
    version then names both: ``db-7+learned-…+context-…``).

    ``context=False`` gives the fast stages alone (rules and the learned model with its own
    thresholds), for screening inside a request (the composer's preview and the panel after
    posting): the context check is too slow to run there.

    A rule that cannot be used (it can only get into the database past the admin's form,
    e.g. from a shell) is left out and logged, so that one bad row never stops screening.
    """
    model = default_model() if settings.HEARTH_SCREENING_LEARNED else None
    check = default_context_check() if context and settings.HEARTH_SCREENING_CONTEXT else None
    rules_version = ruleset_version_current()
    version = compiled_version(rules_version, model, check)
    ruleset = _compiled.get(version)
    if ruleset is not None:
        return ruleset
    with _lock:
        ruleset = _compiled.get(version)
        if ruleset is None:
            specs = []
            for rule in screening_rules_enabled():
                spec = rule.to_spec()
                problems = check_rule(spec) if spec.kind == "pattern" else spec.problems()
                if problems:
                    logger.error("screening rule %s left out: %s", rule.name, "; ".join(problems))
                    continue
                specs.append(spec)
            ruleset = compile_ruleset(specs, rules_version, model, check)
            for stale in [v for v in _compiled if not v.startswith(rules_version + "+") and v != rules_version]:
                del _compiled[stale]  # only the current rules' versions are worth keeping
            _compiled[version] = ruleset
    return ruleset
