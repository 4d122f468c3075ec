from django.apps import AppConfig


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
