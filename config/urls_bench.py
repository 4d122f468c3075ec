"""The URL space in benchmark mode only (``HEARTH_BENCH=true`` sets ROOT_URLCONF to this):
Hearth's own, plus the ceiling page bench/pages.py compares every page with."""

from django.urls import path

from config import bench
from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as hearth_urlpatterns

urlpatterns = [path("bench/ceiling/", bench.ceiling, name="bench_ceiling"), *hearth_urlpatterns]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
