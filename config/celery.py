"""The Celery application. Tasks run in-process when no broker is configured."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("scope_for_growth")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
