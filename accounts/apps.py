from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added
        from django.contrib.auth.signals import user_logged_in

        from accounts.receivers import member_signed_in
        from accounts.second_factor import record_second_factor_enrolment

        user_logged_in.connect(member_signed_in, dispatch_uid="accounts.member_signed_in")

        def enrolled(sender, request, user, authenticator, **kwargs) -> None:
            record_second_factor_enrolment(request, user, authenticator)

        # allauth's documented hook for a newly added authenticator (setting up an app is using it).
        authenticator_added.connect(enrolled, dispatch_uid="hearth-second-factor-enrolment", weak=False)
