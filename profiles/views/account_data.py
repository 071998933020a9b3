"""The person's control over their data: the page that offers it, "Download my data" (a
JSON file of everything the account holds) and "Delete my account" (a confirmation page,
then profiles.services.account_delete)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from profiles.services.account_data import account_data_json
from profiles.services.account_delete import account_delete

CONFIRM_WORD = "DELETE"


class AccountDeleteForm(forms.Form):
    confirm = forms.CharField(
        label=f"Type {CONFIRM_WORD} or your password to confirm",
        max_length=200,
        strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"]
        if value.strip() != CONFIRM_WORD and not self.user.check_password(value):
            raise forms.ValidationError(f"Type {CONFIRM_WORD} (in capitals) or your password.")
        return value


@require_GET
@login_required
def account_data(request: HttpRequest) -> HttpResponse:
    return render(request, "profiles/account_data.html")


@require_GET
@login_required
def account_data_download(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        account_data_json(user=request.user), content_type="application/json; charset=utf-8"
    )
    name = f"bzpeer-data-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # Personal data: never kept by a shared cache or the browser's.
    response["Cache-Control"] = "no-store, private"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def account_delete_confirm(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        account_delete(user=request.user)
        logout(request)
        messages.success(request, "Your account is deleted. Thank you for having been here.")
        return redirect("profiles:home")
    status = 400 if form.is_bound else 200
    return render(request, "profiles/account_delete.html", {"form": form}, status=status)
