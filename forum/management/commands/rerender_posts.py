from django.core.management.base import BaseCommand

from forum.services import posts_rerender


class Command(BaseCommand):
    help = "Render every post's Markdown again with the current renderer and store what changed."

    def handle(self, *args, **options):
        seen, changed = posts_rerender()
        self.stdout.write(f"Rendered {seen:,} posts again; {changed:,} had new HTML.")
