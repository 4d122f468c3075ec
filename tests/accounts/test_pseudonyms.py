import pytest

from accounts.pseudonyms import pseudonym_problems, suggest_pseudonym


@pytest.mark.parametrize("name", ["QuietHeron", "sam_t", "blue-sky-22", "Ann", "x" * 30, "Sam1990"])
def test_ordinary_pseudonyms_are_accepted(name):
    assert pseudonym_problems(name) == []


@pytest.mark.parametrize(
    "name",
    [
        "ab",  # too short
        "x" * 31,  # too long
        "me@example.com",  # an email
        "www-mysite",  # a URL
        "http-me",
        "mysite.com",
        "sam07700900123",  # a phone number
        "born19900101",  # a date of birth
        "has space",
        "Admin",
        "4dm1n",  # look-alike digits
        "admln",  # l for i
        "aaadmin",  # repeated letters
        "the-moderator",
        "m0derat0r",
        "hearth-team",
        "HearthTeam",
        "mod",
        "Support-Desk",
        "Officia1",
    ],
)
def test_pseudonyms_that_identify_or_impersonate_are_refused(name):
    assert pseudonym_problems(name), name


def test_words_containing_short_reserved_words_are_fine():
    assert pseudonym_problems("ModestMouse") == []
    assert pseudonym_problems("Teamwork4") == []  # "team" only refused as a whole word... inside a word it is fine


def test_suggestions_are_valid():
    for _ in range(200):
        assert pseudonym_problems(suggest_pseudonym()) == []
