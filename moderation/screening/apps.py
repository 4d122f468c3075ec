from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "moderation.screening"
    label = "screening"
    verbose_name = "Risk screening"
    default_auto_field = "django.db.models.BigAutoField"
