from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.forms import EQUALITY_QUESTIONS, EqualityProfileForm
from accounts.selectors import equality_answers, equality_profile_for
from accounts.services import equality_profile_update


def account(request):
    return render(request, "accounts/account.html")


@never_cache
@require_http_methods(["GET", "HEAD"])
def equality_profile(request):
    """The person's own equality monitoring answers, and why and how they are used.

    There is no id in the URL: the page only ever shows the answers of the person signed in. Neither
    page may be kept in a browser's or proxy's cache, since the answers are special category data.
    """
    profile = equality_profile_for(user=request.user)
    questions = {name: question.summary_label for name, question in EQUALITY_QUESTIONS.items()}
    return render(
        request, "accounts/equality_profile.html", {"answers": equality_answers(profile, questions)}
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def equality_profile_edit(request):
    """Change the person's own equality monitoring answers."""
    if request.method == "POST":
        form = EqualityProfileForm(request.POST)
        if form.is_valid():
            equality_profile_update(user=request.user, data=form.cleaned_data)
            messages.success(request, "Your equality monitoring information has been saved")
            return redirect("accounts:equality_profile")
    else:
        profile = equality_profile_for(user=request.user)
        form = EqualityProfileForm(initial=EqualityProfileForm.initial_from(profile))
    return render(request, "accounts/equality_profile_edit.html", {"form": form})
