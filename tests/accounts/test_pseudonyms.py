import pytest
from django.urls import reverse

from accounts.models import User
from accounts.pseudonyms import (
    IMPERSONATION,
    PHONE_NUMBER,
    SERVICE_LOOKALIKE,
    pseudonym_problems,
    pseudonym_skeleton,
    suggest_pseudonym,
)
from accounts.services import (
    PSEUDONYM_LOOKALIKE,
    PSEUDONYM_TAKEN,
    member_change_pseudonym,
    pseudonym_conflict,
    pseudonym_suggest_available,
)
from forum.models import HelpResource
from tests import factories


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


# --- impersonation, by skeleton (issue 21) ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "looks_like"),
    [
        ("B1rchSteward", "birchsteward"),
        ("BirchStevvard", "BirchSteward"),
        ("Birch_Steward", "BirchSteward"),
        ("QuietHer0n", "QuietHeron"),
        ("Rnaple-Leaf", "MapleLeaf"),
        ("ADM1N", "admin"),
    ],
)
def test_skeletons_fold_what_reads_the_same(name, looks_like):
    assert pseudonym_skeleton(name) == pseudonym_skeleton(looks_like)


def test_skeletons_fold_unicode_confusables():
    assert pseudonym_skeleton("Ваdgег") == pseudonym_skeleton("Badger")  # Cyrillic В, а, г, е
    assert pseudonym_skeleton("Ｗｒｅｎ") == pseudonym_skeleton("Wren")  # fullwidth


@pytest.mark.parametrize(
    "name", ["CrisisTeam", "Samaritans", "CrisisLine", "NHS_111", "SupportTeam", "TrustAndSafety", "Adm_in",
             "Rnoderator", "Hearth_Helper", "Shout_UK"],
)  # fmt: skip
def test_staff_roles_crisis_services_and_the_site_are_refused(name):
    assert pseudonym_problems(name), name


@pytest.mark.parametrize("name", ["0770-090-0123", "07700_900_123", "call-0770-090-0123"])
def test_a_phone_number_in_any_punctuation_is_refused(name):
    assert PHONE_NUMBER in pseudonym_problems(name)


@pytest.fixture
def staff_and_members(db):
    factories.member(pseudonym="CedarHost", is_staff=True, is_superuser=True, is_moderator=True)
    factories.member(pseudonym="BirchSteward", is_moderator=True)
    return factories.member(pseudonym="QuietHeron")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("BirchStevvard", IMPERSONATION),
        ("B1rchSteward", IMPERSONATION),
        ("Cedar-Host", IMPERSONATION),
        ("BirchSteward2", IMPERSONATION),  # a team member's name inside a longer one
        ("QuietHer0n", PSEUDONYM_LOOKALIKE),
        ("quietheron", PSEUDONYM_TAKEN),
    ],
)
def test_near_copies_of_staff_and_members_names_are_refused(staff_and_members, name, message):
    assert pseudonym_conflict(pseudonym=name) == message


def test_ordinary_names_beside_them_are_fine(staff_and_members):
    for name in ("QuietHeron7", "BirchwoodWalker", "CedarTree", "SteadyHeron"):
        assert pseudonym_conflict(pseudonym=name) == "", name


def test_a_member_may_change_the_case_of_their_own_name(staff_and_members):
    member_change_pseudonym(user=staff_and_members, pseudonym="quietHeron")
    staff_and_members.refresh_from_db()
    assert staff_and_members.pseudonym_skeleton == pseudonym_skeleton("QuietHeron")


def test_services_the_help_page_lists_are_refused(db):
    HelpResource.objects.create(name="Lighthouse Line, option 3", phone="0800 000 000")
    HelpResource.objects.create(name="Oak", phone="0800 000 001")
    for name in ("LighthouseLine", "Lighthouse_L1ne", "TheLighthouseLine", "Oak", "Oak_UK"):
        assert pseudonym_conflict(pseudonym=name) == SERVICE_LOOKALIKE, name
    assert pseudonym_conflict(pseudonym="Oakley") == ""  # a short name only as a whole word


def test_the_member_check_is_one_indexed_query(staff_and_members, django_assert_num_queries):
    with django_assert_num_queries(2):  # the members (skeleton and staff indexes) and the help page's services
        pseudonym_conflict(pseudonym="GentleOtter")


def test_the_calm_message_reaches_the_settings_page(client, staff_and_members):
    mover = factories.member(pseudonym="MovingMoth")
    client.force_login(mover)
    response = client.post(reverse("accounts:pseudonym"), {"pseudonym": "QuietHer0n"})
    assert response.status_code == 422
    assert "looks very like another member" in response.content.decode()
    mover.refresh_from_db()
    assert mover.pseudonym == "MovingMoth"


def test_the_demo_community_and_suggestions_are_still_valid(db):
    from forum.demo import load_demo

    load_demo()
    for user in User.objects.all():
        assert pseudonym_problems(user.pseudonym) == [], user.pseudonym
        assert pseudonym_conflict(pseudonym=user.pseudonym, exclude_user_id=user.pk) == "", user.pseudonym
        assert user.pseudonym_skeleton == pseudonym_skeleton(user.pseudonym)
    for _ in range(50):
        assert pseudonym_problems(pseudonym_suggest_available()) == []
