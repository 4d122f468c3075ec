# The renderer moved from bleach to nh3 with markdown-it's own linkifier (issue 16): store every
# post's HTML as the current renderer makes it, so old and new posts are shown alike.

from django.db import migrations


def rerender(apps, schema_editor):
    from forum.services import posts_rerender

    posts_rerender(post_model=apps.get_model("forum", "Post"))


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0002_post_submission_token"),
    ]

    operations = [
        migrations.RunPython(rerender, migrations.RunPython.noop),
    ]
