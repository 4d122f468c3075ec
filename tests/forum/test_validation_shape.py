"""Length and shape are checked on the raw text before anything is rendered, and the member's
words stay in the form with a calm message."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from forum import validation
from forum.models import Post
from forum.validation import clean_and_render_body, clean_body, deepest_nesting


def test_a_long_post_is_refused_without_being_rendered(monkeypatch, settings):
    settings.HEARTH_MAX_POST_LENGTH = 100
    calls = []
    monkeypatch.setattr(validation, "render_post", lambda text: calls.append(text) or "<p>x</p>")
    with pytest.raises(ValidationError) as refusal:
        clean_and_render_body("a" * 101)
    assert "under 100 characters" in refusal.value.message_dict["body"][0]
    assert calls == []


def test_an_accepted_post_is_rendered_once(monkeypatch):
    calls = []
    real = validation.render_post
    monkeypatch.setattr(validation, "render_post", lambda text: calls.append(text) or real(text))
    source, html = clean_and_render_body("Hello *there*")
    assert html == "<p>Hello <em>there</em></p>" and len(calls) == 1


def test_posting_renders_each_accepted_post_once(monkeypatch, member_client, thread):
    calls = []
    real = validation.render_post
    monkeypatch.setattr(validation, "render_post", lambda text: calls.append(text) or real(text))
    response = member_client.post(reverse("forum:reply", args=[thread.pk]), {"body": "Rendered once, please."})
    assert response.status_code == 302
    assert calls == ["Rendered once, please."]


def test_too_many_lines_are_refused_calmly():
    with pytest.raises(ValidationError) as refusal:
        clean_body("line\n" * (validation.MAX_LINES + 1))
    assert "lines" in refusal.value.message_dict["body"][0]


def test_too_many_formatting_characters_are_refused_calmly():
    with pytest.raises(ValidationError) as refusal:
        clean_body("*_" * (validation.MAX_MARKUP_CHARACTERS // 2 + 1))
    assert "formatting characters" in refusal.value.message_dict["body"][0]


def test_ordinary_markdown_is_well_within_the_limits():
    table = "| day | mood |\n|---|---|\n" + "| Monday | ok, *mostly* |\n" * 200
    assert clean_body(table) == table


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("plain words", 0),
        ("> quoted", 1),
        (">> twice", 2),
        ("> > spaced", 2),
        ("- item", 1),
        ("    - nested by indent", 3),
        ("1. > - mixed", 3),
        ("        indented code, not nesting", 0),
    ],
)
def test_nesting_depth_is_read_from_line_starts(text, depth):
    assert deepest_nesting(text) == depth


def test_deep_nesting_that_the_renderer_would_cut_short_is_refused():
    # Past its nesting limit markdown-it drops the rest of a post: refuse before that happens.
    with pytest.raises(ValidationError) as refusal:
        clean_body("- " * 10 + "the words that would vanish")
    assert "nested 10 levels" in refusal.value.message_dict["body"][0]


def test_the_deepest_accepted_nesting_renders_every_word():
    deepest = validation.MAX_NESTING
    indented = "".join("  " * i + "- x\n" for i in range(deepest)) + "  " * deepest + "kept"
    for source in (">" * deepest + " kept", "- " * deepest + "kept", "1. " * deepest + "kept", indented):
        _, html = clean_and_render_body(source)
        assert "kept" in html


def test_a_refused_shape_keeps_what_was_typed_in_the_form(member_client, thread):
    body = "> " * 30 + "Everything I typed is still here"
    response = member_client.post(reverse("forum:reply", args=[thread.pk]), {"body": body})
    assert response.status_code == 422
    assert "Everything I typed is still here" in response.content.decode()
    assert "nested 30 levels" in response.content.decode()
    assert not Post.objects.filter(source=body).exists()


def test_a_post_that_renders_to_nothing_is_refused_by_the_service(member_client, thread):
    response = member_client.post(reverse("forum:reply", args=[thread.pk]), {"body": "&#8203;&nbsp;"})
    assert response.status_code == 422
    assert "looks empty" in response.content.decode()
    assert "&amp;#8203;&amp;nbsp;" in response.content.decode()  # their text, kept
