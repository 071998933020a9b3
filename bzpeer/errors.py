"""The one kind of error a service raises to refuse a person's action."""


class ActionError(Exception):
    """An action that cannot happen; the message is shown to the person as it is. Each app
    raises its own subclass (ClaimError, InviteError, AuthorshipError, ...)."""
