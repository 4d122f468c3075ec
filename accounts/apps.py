from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added

        from accounts.second_factor import record_second_factor_enrolment

        def enrolled(sender, request, user, authenticator, **kwargs) -> None:
            record_second_factor_enrolment(request, user, authenticator)

        # allauth's documented hook for a newly added authenticator (no Hearth flow uses signals).
        authenticator_added.connect(enrolled, dispatch_uid="hearth-second-factor-enrolment", weak=False)
