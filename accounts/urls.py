from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.settings_home, name="settings"),
    path("pseudonym/", views.pseudonym_change, name="pseudonym"),
    path("two-step-sign-in/needed/", views.second_factor_needed, name="second_factor"),
]
