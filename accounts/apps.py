from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.receivers import member_signed_in

        user_logged_in.connect(member_signed_in, dispatch_uid="accounts.member_signed_in")
