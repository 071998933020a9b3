"""allauth's account adapter, with one change: sign-up costs the same whether or not the
address is registered."""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.hashers import make_password
from django.utils.crypto import get_random_string


class AccountAdapter(DefaultAccountAdapter):
    def send_account_already_exists_mail(self, email: str) -> None:
        # A new account's sign-up hashes its password (hundreds of ms by design); without the
        # same work here, a registered address answers measurably faster, which tells an
        # attacker it exists despite ACCOUNT_PREVENT_ENUMERATION.
        make_password(get_random_string(32))
        super().send_account_already_exists_mail(email)
