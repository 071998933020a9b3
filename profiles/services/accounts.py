"""Writes for an account's public side: the name it shows to other people."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from bzpeer.errors import ActionError
from profiles.models import DISPLAY_NAME_MAX, DISPLAY_NAME_MIN, Person


class AccountError(ActionError):
    """A name that cannot be used; the message is shown to the person as it is."""


def display_name_clean(value: str) -> str:
    """The name as stored: inner runs of whitespace collapsed. Raises AccountError for a name
    too short or long, or one that looks like an email address (shown to strangers, an
    address is exactly what the name is there to keep private)."""
    name = " ".join(value.split())
    if not DISPLAY_NAME_MIN <= len(name) <= DISPLAY_NAME_MAX:
        raise AccountError(f"Choose a name of {DISPLAY_NAME_MIN} to {DISPLAY_NAME_MAX} characters.")
    if "@" in name:
        raise AccountError("Choose a name, not an email address: others will see it.")
    return name


@transaction.atomic
def person_set_display_name(*, user: AbstractBaseUser, display_name: str) -> Person:
    name = display_name_clean(display_name)
    person, created = Person.objects.select_for_update().get_or_create(
        user=user, defaults={"display_name": name}
    )
    if not created and person.display_name != name:
        person.display_name = name
        person.full_clean()
        person.save(update_fields=["display_name", "updated_at"])
    return person
