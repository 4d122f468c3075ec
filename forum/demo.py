"""The demo community loaded by `make run`: a shallow tree, content notes, guidelines, help
resources, a dozen threads with replies, one moderator and one admin. Safe to load twice."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import User
from accounts.passwords import DEMO_PASSWORD  # printed for the person trying the demo
from accounts.second_factor import authenticator_app_add
from forum import services
from forum.models import (
    ContentNote,
    HelpResource,
    PostingPolicy,
    Rule,
    SiteSettings,
    Subforum,
    Thread,
    Volunteer,
)
from moderation import intake

CONTENT_NOTES = [
    ("Suicidal thoughts", "suicidal-thoughts", "Talk of wanting to die or end one's life.", "collapse"),
    ("Self-harm", "self-harm", "Mentions of hurting oneself.", "collapse"),
    ("Eating disorders", "eating-disorders", "Food, weight, restriction or purging.", "collapse"),
    ("Abuse", "abuse", "Experiences of abuse or violence.", "collapse"),
    ("Substance use", "substance-use", "Alcohol or drug use.", "collapse"),
    ("Bereavement", "bereavement", "Death and grief.", "collapse"),
    ("Graphic medical detail", "graphic-medical", "Detailed descriptions of injuries or procedures.", "hide"),
]

RULES = [
    ("R1", "Be kind", "Reply as you would to a friend who is struggling. Disagree gently, never mock."),
    (
        "R2",
        "Stay anonymous",
        "Don't share anything that could identify you or anyone else: names, addresses, workplaces, phone numbers or photos.",
    ),
    (
        "R3",
        "Use content notes",
        "If your post mentions something others may find hard to read, such as self-harm or suicide, add a content note.",
    ),
    (
        "R4",
        "No methods or instructions",
        "Don't describe ways of harming yourself, amounts, or how to hide it. It can put others at risk.",
    ),
    (
        "R5",
        "Peer support, not professional advice",
        "Share what helped you, but don't diagnose or tell people to stop treatment.",
    ),
    ("R6", "No bullying or harassment", "Personal attacks, hateful language and pile-ons are removed."),
    (
        "R7",
        "If someone is at risk, tell us",
        "Use 'Report' and choose 'someone may be at risk'. Moderators will check in with them.",
    ),
]

HELP_RESOURCES = [
    ("Emergency services", "If you or someone else is in immediate danger.", "999", "", "", "24 hours", "UK"),
    (
        "Samaritans",
        "Talk to someone about anything, whatever you're going through.",
        "116 123",
        "",
        "https://www.samaritans.org",
        "24 hours, every day",
        "UK and Ireland",
    ),
    (
        "Shout",
        "Free, confidential text support.",
        "",
        "Text SHOUT to 85258",
        "https://giveusashout.org",
        "24 hours, every day",
        "UK",
    ),
    (
        "NHS 111, option 2",
        "Urgent mental health help from the NHS.",
        "111",
        "",
        "https://111.nhs.uk",
        "24 hours",
        "England",
    ),
    (
        "988 Suicide & Crisis Lifeline",
        "Call or text for support.",
        "988",
        "Text 988",
        "https://988lifeline.org",
        "24 hours",
        "United States",
    ),
]

SUBFORUMS = [
    # (name, slug, description, parent slug, policy, requires note, introductions)
    (
        "Introductions",
        "introductions",
        "New here? Say hello, in as much or as little detail as you like.",
        None,
        PostingPolicy.OPEN,
        False,
        True,
    ),
    (
        "Anxiety and low mood",
        "anxiety-low-mood",
        "Worry, panic, low days and everything between.",
        None,
        PostingPolicy.OPEN,
        False,
        False,
    ),
    (
        "Difficult feelings",
        "difficult-feelings",
        "For heavier topics. Threads here carry content notes.",
        None,
        PostingPolicy.PREMODERATE_NEW,
        True,
        False,
    ),
    (
        "Self-harm and recovery",
        "self-harm-recovery",
        "Support with urges, setbacks and recovery. No method detail, please.",
        "difficult-feelings",
        PostingPolicy.PREMODERATE_NEW,
        True,
        False,
    ),
    (
        "Relationships and family",
        "relationships-family",
        "Friends, family, partners and feeling alone.",
        None,
        PostingPolicy.OPEN,
        False,
        False,
    ),
    (
        "Things that help",
        "things-that-help",
        "Small wins, coping ideas, music, pets and good news.",
        None,
        PostingPolicy.OPEN,
        False,
        False,
    ),
]

MEMBERS = [
    "QuietHeron",
    "MapleLeaf",
    "SteadyRiver",
    "KindOtter",
    "SunnyFern",
    "WillowWalker",
    "TidePool",
    "LanternLight",
]

THREADS = [
    (
        "introductions",
        "QuietHeron",
        "Hello from a long-time lurker",
        "I've been reading for months and finally made an account. Reading your replies to each other helped me more than I can say.",
        [],
        [
            ("MapleLeaf", "Welcome! I'm really glad you said hello. Take things at your own pace here."),
            ("KindOtter", "Hi QuietHeron, welcome. Lurking counts too, and it's lovely to hear from you."),
        ],
    ),
    (
        "introductions",
        "TidePool",
        "First post, a bit nervous",
        "Hi all. I'm not sure what to write. I've had a rough year and my GP suggested peer support.",
        [],
        [
            ("SunnyFern", "Welcome, TidePool. Nervous is completely normal. There's no right way to do this."),
        ],
    ),
    (
        "anxiety-low-mood",
        "SteadyRiver",
        "Panic on the bus this morning",
        "Had my first panic attack in weeks on the way to work. Heart racing, hands shaking. I got off two stops early and walked. Feeling wobbly but OK.",
        [],
        [
            (
                "KindOtter",
                "That sounds really frightening. Getting off and walking was a good way to look after yourself.",
            ),
            ("WillowWalker", "Same thing happened to me last month. Counting things I could see helped a bit."),
            ("SteadyRiver", "Thank you both. I'll try the counting thing next time."),
        ],
    ),
    (
        "anxiety-low-mood",
        "MapleLeaf",
        "Low days and getting out of bed",
        "Some mornings it takes me an hour to get up. Does anyone have small things that help?",
        [],
        [
            ("SunnyFern", "I put my favourite song on as an alarm. It doesn't always work, but sometimes it does."),
            ("QuietHeron", "Opening the curtains first thing helps me a tiny bit. Be gentle with yourself."),
        ],
    ),
    (
        "anxiety-low-mood",
        "WillowWalker",
        "Does anyone else feel worse on Sunday evenings?",
        "Every Sunday evening a heavy feeling arrives. I know it's about Monday but knowing doesn't help much.",
        [],
        [
            ("TidePool", "Yes! I plan something small and nice for Monday now, like a good breakfast."),
        ],
    ),
    (
        "difficult-feelings",
        "KindOtter",
        "Grief is coming in waves",
        "It's been a year since my dad died. I thought it would be easier by now. Some days it's like it just happened.",
        ["bereavement"],
        [
            ("MapleLeaf", "I'm so sorry about your dad. Grief doesn't follow a timetable. Waves sound exhausting."),
            ("SteadyRiver", "Sending you care. Anniversaries can bring it all back."),
        ],
    ),
    (
        "self-harm-recovery",
        "SunnyFern",
        "Three months without self-harm",
        "I wanted to share something good: three months today. Urges still come but I ride them out with ice cubes and calling my sister.",
        ["self-harm"],
        [
            ("QuietHeron", "That's a real achievement. Thank you for sharing what helps."),
            ("TidePool", "This gives me hope. Well done, SunnyFern."),
        ],
    ),
    (
        "self-harm-recovery",
        "LanternLight",
        "Had a setback last night",
        "I'd been doing well and then I slipped last night. I feel ashamed and I don't want to tell anyone offline.",
        ["self-harm"],
        [
            ("SunnyFern", "A setback doesn't undo your progress. You reached out here, and that matters."),
        ],
    ),
    (
        "relationships-family",
        "TidePool",
        "Feeling lonely since moving",
        "I moved cities for work and I don't know anyone. Evenings are the hardest.",
        [],
        [
            ("WillowWalker", "Moving is so hard. Some libraries run evening groups, which helped me meet people."),
            ("KindOtter", "You're not alone in feeling this. Would a hobby class be doable for you?"),
        ],
    ),
    (
        "relationships-family",
        "QuietHeron",
        "How do I tell my partner I'm struggling?",
        "I want to tell my partner how low I've been but I'm scared they'll worry or think less of me.",
        [],
        [
            ("MapleLeaf", "I wrote mine a letter first. It was easier than saying it out loud."),
        ],
    ),
    (
        "things-that-help",
        "SunnyFern",
        "Small wins thread",
        "Post one small thing that went OK today. Mine: I made a proper lunch.",
        [],
        [
            ("SteadyRiver", "I answered an email I'd been avoiding for a week!"),
            ("LanternLight", "I went for a ten minute walk."),
            ("TidePool", "I replied to a friend's message."),
        ],
    ),
    (
        "things-that-help",
        "WillowWalker",
        "Music that calms you down",
        "What do you listen to when everything feels too loud? Looking for new ideas.",
        [],
        [],
    ),
]


@dataclass
class DemoResult:
    created: bool
    admin_email: str = "admin@hearth.example"
    moderator_email: str = "moderator@hearth.example"
    member_email: str = "quietheron@hearth.example"
    password: str = DEMO_PASSWORD


def _verified_user(*, email: str, pseudonym: str, **fields) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, DEMO_PASSWORD, pseudonym=pseudonym, guidelines_version_accepted=1, **fields
        )
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


@dataclass
class DemoStaffKey:
    role: str
    email: str
    key: str


def demo_staff_second_factors() -> list[DemoStaffKey]:
    """Moderators and admins must sign in with an authenticator app too (accounts/second_factor.py),
    so the demo's staff accounts get one: a random key per install, never a published one, made once
    (also for demos loaded before this rule) and printed by `make run` for the person trying it."""
    found = []
    for role, email in (("admin", DemoResult.admin_email), ("moderator", DemoResult.moderator_email)):
        user = User.objects.filter(email=email).first()
        if user is not None:
            found.append(DemoStaffKey(role=role, email=email, key=authenticator_app_add(user=user)))
    return found


@transaction.atomic
def load_demo() -> DemoResult:
    """Create the demo community unless it is already there."""
    result = DemoResult(created=False)
    if Subforum.objects.filter(slug="introductions").exists():
        return result
    SiteSettings.objects.get_or_create(pk=1)
    for order, (name, slug, description, display) in enumerate(CONTENT_NOTES):
        ContentNote.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "default_display": display, "order": order}
        )
    for order, (code, title, body) in enumerate(RULES):
        Rule.objects.get_or_create(code=code, defaults={"title": title, "body": body, "order": order})
    for order, (name, description, phone, text, url, hours, region) in enumerate(HELP_RESOURCES):
        HelpResource.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "phone": phone,
                "text": text,
                "url": url,
                "hours": hours,
                "region": region,
                "order": order,
            },
        )
    subforums = {}
    for order, (name, slug, description, parent, policy, requires, intro) in enumerate(SUBFORUMS):
        subforums[slug] = Subforum.objects.create(
            name=name,
            slug=slug,
            description=description,
            parent=subforums.get(parent),
            order=order,
            posting_policy=policy,
            requires_content_note=requires,
            is_introductions=intro,
        )
    _verified_user(email=result.admin_email, pseudonym="CedarHost", is_staff=True, is_superuser=True, is_moderator=True)
    _verified_user(email=result.moderator_email, pseudonym="BirchSteward", is_moderator=True)
    members = {name: _verified_user(email=f"{name.lower()}@hearth.example", pseudonym=name) for name in MEMBERS}
    notes = {note.slug: note for note in ContentNote.objects.all()}
    for subforum_slug, author, title, body, note_slugs, replies in THREADS:
        thread = services.thread_create(
            author=User.objects.get(pk=members[author].pk),  # fresh counters for pre-moderation
            subforum=subforums[subforum_slug],
            title=title,
            body=body,
            notes=[notes[slug] for slug in note_slugs],
        )
        if thread.status != "published":  # demo authors are past pre-moderation
            opening = thread.posts.get(position=0)
            services.post_set_visibility(post=opening, status="published")
            intake.review_item_withdraw(kind="premoderation", target_key=f"post:{opening.pk}")
            thread = Thread.objects.get(pk=thread.pk)
        for reply_author, reply_body in replies:
            author_obj = User.objects.get(pk=members[reply_author].pk)
            post = services.post_reply(author=author_obj, thread=thread, body=reply_body)
            if post.status != "published":
                services.post_set_visibility(post=post, status="published")
                intake.review_item_withdraw(kind="premoderation", target_key=f"post:{post.pk}")
    _spread_over_recent_weeks()
    # Volunteers, so the unanswered-thread rescue has someone to ask (forum/rescue.py).
    for name in ("MapleLeaf", "KindOtter"):
        for subforum in subforums.values():
            if not subforum.is_introductions:
                Volunteer.objects.create(member=members[name], role=Volunteer.Role.HELPER, subforum=subforum)
    for name in ("SunnyFern", "QuietHeron"):
        Volunteer.objects.create(member=members[name], role=Volunteer.Role.WELCOMER)
    result.created = True
    return result


def _spread_over_recent_weeks() -> None:
    """Give the demo a lived-in history: members joined months ago (one last week), and each
    thread's posts are spread over the past days instead of all being "just now"."""
    from datetime import timedelta

    from django.db.models import F
    from django.utils import timezone

    from forum.models import Post

    User.objects.update(date_joined=F("date_joined") - timedelta(days=120))
    User.objects.filter(pseudonym__in=["TidePool", "LanternLight"]).update(
        date_joined=timezone.now() - timedelta(days=5)
    )
    threads = list(Thread.objects.order_by("pk"))
    for age, thread in enumerate(reversed(threads)):
        shift = timedelta(hours=9 * age + 2)
        Thread.objects.filter(pk=thread.pk).update(created_at=F("created_at") - shift - timedelta(hours=3))
        for step, post in enumerate(Post.objects.filter(thread=thread).order_by("position")):
            Post.objects.filter(pk=post.pk).update(
                created_at=F("created_at") - shift - timedelta(hours=3) + timedelta(minutes=47 * step)
            )
        services.thread_recount(thread_id=thread.pk)
