"""The signed-in person's own notifications and notification preferences.

There is no permission to check beyond being signed in (LoginRequiredMiddleware): everyone has a
notification list, and every query here is limited to the person's own rows, so somebody else's
notification is a 404.
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.forms import Field, Layout, NhsukFormHelper, Size, Submit
from core.notifications import (
    notification_for,
    notification_mark_read,
    notification_preference_for,
    notification_preference_update,
    notifications_for,
)

NOTIFICATIONS_PAGE_SIZE = 20


class NotificationPreferenceForm(forms.Form):
    """The one preference so far: whether reminders also come by email (kept beside its only view)."""

    is_reminder_email_wanted = forms.TypedChoiceField(
        label="Do you want reminder emails?",
        help_text="Reminders still appear in your notifications in the service.",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda answer: answer == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select yes if you want reminder emails",
            "invalid_choice": "Select yes if you want reminder emails",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self)
        self.helper.layout = Layout(
            Field.radios("is_reminder_email_wanted", legend_size=Size.MEDIUM, inline=True),
            Submit("Save preferences"),
        )


@never_cache
@require_http_methods(["GET", "HEAD"])
def notification_list(request):
    paginator = Paginator(notifications_for(request.user), NOTIFICATIONS_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@require_http_methods(["GET", "HEAD"])
def notification_open(request, pk):
    """Mark one of the person's notifications read and go to the page it is about."""
    notification = notification_for(user=request.user, pk=pk)
    if notification is None:
        raise Http404
    notification_mark_read(notification=notification, by=request.user)
    # Links are made by the service, but never follow one that leads elsewhere.
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("core:notifications")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def notification_preferences(request):
    if request.method == "POST":
        form = NotificationPreferenceForm(request.POST)
        if form.is_valid():
            notification_preference_update(
                user=request.user, is_reminder_email_wanted=form.cleaned_data["is_reminder_email_wanted"]
            )
            messages.success(request, "Your notification preferences have been saved")
            return redirect("core:notifications")
    else:
        preference = notification_preference_for(request.user)
        form = NotificationPreferenceForm(
            initial={"is_reminder_email_wanted": "yes" if preference.is_reminder_email_wanted else "no"}
        )
    return render(request, "core/notification_preferences.html", {"form": form})
