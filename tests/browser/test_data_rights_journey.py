"""A member takes their data and asks to leave, then changes their mind (issue 21), in a real
browser: every page checked by axe, at desktop, zoomed and phone widths."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


def test_member_downloads_their_data_asks_to_delete_and_cancels_by_signing_in(journey):
    space = factories.subforum(name="Anxiety", slug="anxiety")
    member = factories.member(pseudonym="QuietWillow", email="willow@example.org")
    factories.thread(author=member, subforum=space, title="Small steps", body="Walked to the shop today.")

    willow = journey("data-rights")
    page = willow.page
    willow.goto("/privacy/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    willow.shot("privacy-page")

    willow.sign_in("willow@example.org")
    willow.goto("/accounts/settings/data/")
    willow.shot("your-data")
    # A small account's file is ready at once: the button hands it over as a download.
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Prepare my download").click()
    document = json.loads(download_info.value.path().read_bytes())
    assert "Walked to the shop today." in json.dumps(document)
    assert "willow@example.org" in json.dumps(document)  # their own email is theirs to see

    willow.goto("/accounts/settings/data/")  # the download is listed, for as long as it is kept
    expect(page.get_by_role("link", name=re.compile("^download"))).to_be_visible()
    willow.goto("/accounts/settings/delete/")
    willow.shot("delete")
    # A wrong password: a calm message on the same page, the choice still made.
    page.get_by_label(re.compile("^Keep my posts")).check()
    page.get_by_label("Your password, to confirm it is you").fill("not my password")
    page.get_by_role("button", name=re.compile("^Delete my account")).click()
    willow.check()
    expect(page.locator("#form-problem, .errorlist").first).to_be_visible()
    page.get_by_label("Your password, to confirm it is you").fill("a-long-test-password")
    page.get_by_role("button", name=re.compile("^Delete my account")).click()
    willow.check()
    assert User.objects.get(pk=member.pk).erasure_requested_at is not None

    # Signing in again within the grace period cancels it, and says so.
    willow.sign_in("willow@example.org")
    expect(page.get_by_text(re.compile("will not be deleted"))).to_be_visible()
    willow.shot("deletion-cancelled")
    assert User.objects.get(pk=member.pk).erasure_requested_at is None
