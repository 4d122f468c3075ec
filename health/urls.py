from django.urls import path

from health import views

app_name = "health"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("figures.csv", views.figures_csv, name="csv"),
]
