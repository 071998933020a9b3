"""Who a person is to other people on BZPEER: the name they chose. Their email address is
their own and never shown to anyone else (profiles.selectors.identity builds what is shown)."""

from django.conf import settings
from django.db import models

DISPLAY_NAME_MIN = 2
DISPLAY_NAME_MAX = 60


class Person(models.Model):
    """One per account that chose a name (at sign-up or on the account page); accounts
    without one are shown under a fallback (identity.person_name_fallback), never their
    email. Changed only through profiles.services.accounts."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="person"
    )
    display_name = models.CharField(max_length=DISPLAY_NAME_MAX)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.display_name
