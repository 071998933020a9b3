"""The account page: the name others see, and how they see this person."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from profiles.forms import DisplayNameForm
from profiles.selectors.identity import person_card_get, person_display_name_get
from profiles.services.accounts import person_set_display_name


@require_http_methods(["GET", "POST"])
@login_required
def account(request: HttpRequest) -> HttpResponse:
    initial = {"display_name": person_display_name_get(user=request.user)}
    form = DisplayNameForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        person = person_set_display_name(
            user=request.user, display_name=form.cleaned_data["display_name"]
        )
        messages.success(request, f"Saved. Others now see you as {person.display_name}.")
        return redirect("profiles:account")
    context = {"form": form, "card": person_card_get(user_id=request.user.pk)}
    return render(request, "profiles/account.html", context, status=400 if form.errors else 200)
