import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from django.db import InterfaceError, OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bzpeer.settings")

app = Celery("bzpeer")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# A database that went away for a moment is worth another try; anything else is a bug to see.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


class RetryingTask(DjangoTask):
    """The base of every BZPEER task (@shared_task(base=RetryingTask)): acknowledged after it
    ran, so a worker killed mid-task leaves it for another, and retried with backoff on
    transient database errors. DjangoTask (Celery's default here) gives delay_on_commit."""

    acks_late = True
    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = True
    max_retries = 5
