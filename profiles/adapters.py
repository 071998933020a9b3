"""allauth hooks: ORCID is a proof attached to an account, never a way to make one."""

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest


class ConnectOnlySocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: object) -> bool:
        # Accounts are made with a verified email address; an ORCID sign-in only connects
        # the iD to the account that is logged in (to prove a claim).
        return False
