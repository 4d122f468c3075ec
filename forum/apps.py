from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = "Forum"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Accounts knows nothing of the forum: tell it which services the help page names, so no
        # pseudonym can pass for one of them.
        from accounts.pseudonyms import reserved_names_register
        from forum.selectors import help_resource_names

        reserved_names_register(help_resource_names)

        # The crisis page's copy on disk follows every change of what it shows, and every deploy
        # (migrate), so /help/ answers with the database down (forum/help_snapshot.py). Signals
        # rather than service calls: admins edit these rows in the admin, list edits included.
        from forum import help_snapshot
        from forum.models import HelpResource, SiteSettings

        for model in (HelpResource, SiteSettings):
            for signal in (post_save, post_delete):
                signal.connect(help_snapshot.snapshot_refresh_after_commit, sender=model, dispatch_uid=f"help-{model}")
        post_migrate.connect(_snapshot_after_migrate, sender=self, dispatch_uid="help-snapshot-migrate")


def _snapshot_after_migrate(using="default", **_) -> None:
    from forum import help_snapshot

    if using == "default":
        help_snapshot._refresh_quietly()
