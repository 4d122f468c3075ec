from django.core.management import call_command

from forum.models import Post
from forum.rendering import render_post


def test_rerender_stores_the_current_renderers_html_where_it_changed(thread):
    opening = Post.objects.get(thread=thread, position=0)
    Post.objects.filter(pk=opening.pk).update(html="<p>stale</p>")
    call_command("rerender_posts")
    opening.refresh_from_db()
    assert opening.html == render_post(opening.source)
