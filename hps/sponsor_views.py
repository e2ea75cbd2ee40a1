"""The sponsor's pages: the emailed link, the application to read, and signing or declining.

Everyone here is signed in (`LoginRequiredMiddleware` sends the emailed link through sign-in and
back). Applications are loaded only through `application_sponsored_by`, so an application the
person does not sponsor is a 404; every change goes through `hps.sponsor_services`.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.audit import audit_read
from hps import sponsor_services
from hps.applicant_services import STATEMENTS
from hps.models import Application
from hps.selectors import application_sponsored_by, applications_sponsored_by
from hps.sponsor_forms import SponsorDeclineForm, SponsorSignForm
from hps.sponsor_services import SponsorLinkError

PAGE_SIZE = 25


def _is_waiting_for_sponsor(application: Application) -> bool:
    return application.status == Application.Status.AWAITING_SPONSOR and not application.is_sponsor_signed


def _call_service(form, service, **kwargs):
    """Run a service, putting its validation errors on the form. Returns None when it refused."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        form.add_error(None, error)
        return None


@require_http_methods(["GET", "HEAD"])
def sponsor_invitation(request, token):
    """The link in the invitation email: link the sponsor to the application, then show it."""
    try:
        application = sponsor_services.sponsor_invitation_accept(token=token, user=request.user)
    except SponsorLinkError as error:
        return render(
            request,
            "hps/sponsor/invitation_error.html",
            {"error": error},
            status=410 if error.is_gone else 404,
        )
    return redirect("hps:sponsor_application", pk=application.pk)


@require_http_methods(["GET", "HEAD"])
def sponsor_list(request):
    """The applications the person sponsors."""
    page = Paginator(
        applications_sponsored_by(user=request.user).order_by("-created_at", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "hps/sponsor/list.html", {"page": page})


@require_http_methods(["GET", "HEAD"])
def sponsor_application(request, pk):
    """The application summary for its sponsor (never the applicant's equality answers)."""
    application = application_sponsored_by(user=request.user, pk=pk)
    audit_read(actor=request.user, instance=application, verb="application_view_as_sponsor")
    # The questions as the applicant saw them, each with their answer.
    statements = [(statement.question, getattr(application, statement.field)) for statement in STATEMENTS]
    return render(
        request,
        "hps/sponsor/application.html",
        {
            "application": application,
            "statements": statements,
            "is_waiting": _is_waiting_for_sponsor(application),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def sponsor_sign(request, pk):
    """Confirm support and sign the cohort's terms and conditions."""
    application = application_sponsored_by(user=request.user, pk=pk)
    if request.method != "POST" and not _is_waiting_for_sponsor(application):
        return redirect("hps:sponsor_application", pk=application.pk)
    form = SponsorSignForm(
        request.POST if request.method == "POST" else None,
        terms_version=application.cohort.terms_version,
    )
    if request.method == "POST" and form.is_valid():
        signed = _call_service(
            form,
            sponsor_services.sponsor_sign,
            application=application,
            by=request.user,
            full_name=form.cleaned_data["full_name"],
            confirms=form.cleaned_data["confirms"],
        )
        if signed is not None:
            return redirect("hps:sponsor_signed", pk=application.pk)
    return render(request, "hps/sponsor/sign.html", {"form": form, "application": application})


@require_http_methods(["GET", "HEAD"])
def sponsor_signed(request, pk):
    """The confirmation after signing."""
    application = application_sponsored_by(user=request.user, pk=pk)
    if not application.is_sponsor_signed:
        return redirect("hps:sponsor_application", pk=application.pk)
    return render(request, "hps/sponsor/signed.html", {"application": application})


@require_http_methods(["GET", "HEAD", "POST"])
def sponsor_decline(request, pk):
    """Decline to sponsor the application, with a reason the applicant is told."""
    application = application_sponsored_by(user=request.user, pk=pk)
    if request.method != "POST" and not _is_waiting_for_sponsor(application):
        return redirect("hps:sponsor_application", pk=application.pk)
    form = SponsorDeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            sponsor_services.sponsor_decline(
                application=application, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"You have declined to sponsor the application from {application.applicant}. "
                "We have told them, so that they can name another sponsor.",
            )
            return redirect("hps:sponsor_list")
    return render(request, "hps/sponsor/decline.html", {"form": form, "application": application})
