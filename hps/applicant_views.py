"""The applicant's pages of the High Potential Scheme.

The scheme's home page, the eligibility check that starts an application, the form's steps with
save-and-resume, check your answers and submit, then the status page with withdrawing and answering
an offer. Applications are loaded only through `hps.selectors.application_of_applicant`, so anyone
but the applicant gets a 404 and changes nothing; every write goes through `hps.applicant_services`.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.decorators import permission_required_or_404
from core.forms import add_service_errors
from hps import applicant_services as services
from hps.applicant_forms import (
    EligibilityForm,
    ReasonForm,
    RoleForm,
    SponsorForm,
    StatementsForm,
    StreamForm,
    TermsForm,
)
from hps.applicant_services import STATEMENTS, Step
from hps.eligibility import STREAM_DESCRIPTIONS, check_eligibility, footprint_text, rules_for
from hps.models import Application, Cohort, DevelopmentStream
from hps.selectors import application_of_applicant, applications_of
from hps.workflow import find_transition

GET_AND_POST = ["GET", "HEAD", "POST"]
#: `?from=check` on a step's address: go back to check your answers after saving.
FROM_CHECK = "check"

view_scheme_required = permission_required_or_404("hps.view_scheme")


def _posted(request):
    """The submitted data, or None for a GET (an empty POST is still a submission, with errors)."""
    return request.POST if request.method == "POST" else None


def _optional_url(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def _detail(application: Application):
    return redirect("hps:application_detail", pk=application.pk)


def _step_url(application: Application, step: Step, *, from_check: bool = False) -> str:
    url = reverse("hps:application_step", kwargs={"pk": application.pk, "step": step.value})
    return f"{url}?from={FROM_CHECK}" if from_check else url


# --- The scheme's home page ----------------------------------------------------------------------


@never_cache
@view_scheme_required
@require_http_methods(["GET", "HEAD"])
def home(request):
    """The scheme explained, intakes open for applications, and the person's own applications."""
    context = {
        "home": services.scheme_home(user=request.user),
        "stream_descriptions": [
            (DevelopmentStream(stream).label, description)
            for stream, description in STREAM_DESCRIPTIONS.items()
        ],
        "cohort_list_url": (
            _optional_url("hps:cohort_list") if request.user.has_perm("hps.administer_cohorts") else ""
        ),
    }
    return render(request, "hps/home.html", context)


# --- Eligibility ---------------------------------------------------------------------------------


@never_cache
@view_scheme_required
@require_http_methods(GET_AND_POST)
def eligibility(request, pk):
    """The eligibility questions for an intake; an eligible answer starts the draft application."""
    cohort = services.cohort_to_apply_to(pk)
    if cohort is None:
        raise Http404
    existing = applications_of(applicant=request.user).filter(cohort=cohort).first()
    if existing is not None:
        return _detail(existing)
    if not cohort.is_open:
        return _closed(request, cohort)
    rules = rules_for(cohort)
    form = EligibilityForm(_posted(request), rules=rules)
    if request.method == "POST" and form.is_valid():
        result = check_eligibility(rules=rules, answers=form.answers())
        if not result.is_eligible:
            return render(
                request,
                "hps/applicant/ineligible.html",
                {"cohort": cohort, "reasons": result.reasons, "eligibility_url": request.path},
            )
        try:
            application = services.application_start(
                applicant=request.user, cohort=cohort, answers=form.answers()
            )
        except ValidationError as error:
            if error.code == "closed":
                return _closed(request, cohort)
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"You can apply to {cohort.name}. We have saved your application as a draft"
            )
            return _detail(application)
    return render(
        request,
        "hps/applicant/eligibility.html",
        {"form": form, "cohort": cohort, "footprint": footprint_text(rules)},
    )


def _closed(request, cohort: Cohort):
    return render(
        request,
        "hps/applicant/closed.html",
        {"cohort": cohort, "message": services.cohort_closed_message(cohort)},
    )


# --- The application page ------------------------------------------------------------------------


@never_cache
@view_scheme_required
@require_http_methods(["GET", "HEAD"])
def application_detail(request, pk):
    """A draft's task list, or a submitted application's status, sponsor and history."""
    application = application_of_applicant(user=request.user, pk=pk)
    is_draft = application.status == Application.Status.DRAFT
    invitation = None if is_draft else services.latest_sponsor_invitation(application)
    context = {
        "application": application,
        "cohort": application.cohort,
        "is_draft": is_draft,
        "tag_class": services.status_tag_class(application.status),
        "sections": services.application_sections(application) if is_draft else [],
        "is_ready_to_submit": is_draft and services.is_ready_to_submit(application),
        "is_cohort_open": application.cohort.is_open,
        "closed_message": services.cohort_closed_message(application.cohort),
        "sponsor": None if is_draft else services.sponsor_status(application, invitation),
        "history": [] if is_draft else services.application_history(application),
        "can_withdraw": find_transition(source=application.status, name="withdraw") is not None,
        "is_offered": application.status == Application.Status.OFFERED,
    }
    return render(request, "hps/applicant/application.html", context)


# --- The steps of the form -----------------------------------------------------------------------


def _next_url(application: Application, step: Step, *, from_check: bool) -> str:
    """After saving a step: the next step, or check your answers when everything is done."""
    is_ready = services.is_ready_to_submit(application)
    if from_check and is_ready:
        return reverse("hps:application_check", kwargs={"pk": application.pk})
    steps = list(Step)
    index = steps.index(step)
    if index + 1 < len(steps) and services.is_step_startable(application, steps[index + 1]):
        return _step_url(application, steps[index + 1])
    if step == steps[-1] and is_ready:
        return reverse("hps:application_check", kwargs={"pk": application.pk})
    return reverse("hps:application_detail", kwargs={"pk": application.pk})


def _role_form(request, application):
    cohort = application.cohort
    return RoleForm(
        _posted(request),
        cohort=cohort,
        organisations=services.organisations_in_footprint(cohort),
        pay_bands=services.eligible_pay_bands(cohort),
        initial={
            "job_title": application.job_title,
            "organisation": application.organisation_id,
            "pay_band": application.pay_band_id,
        },
    )


def _save_role(form, application, by):
    return services.application_role_update(application=application, by=by, **form.cleaned_data)


def _stream_form(request, application):
    return StreamForm(_posted(request), initial={"development_stream": application.development_stream})


def _save_stream(form, application, by):
    return services.application_stream_update(
        application=application, by=by, development_stream=form.cleaned_data["development_stream"]
    )


def _statements_form(request, application):
    return StatementsForm(
        _posted(request),
        initial={statement.field: getattr(application, statement.field) for statement in STATEMENTS},
    )


def _save_statements(form, application, by):
    return services.application_statements_update(application=application, by=by, **form.cleaned_data)


def _sponsor_form(request, application, *, submit_text="Save and continue"):
    return SponsorForm(
        _posted(request),
        applicant=request.user,
        submit_text=submit_text,
        initial={
            "sponsor_relationship": application.sponsor_relationship,
            "sponsor_email": application.sponsor_email,
        },
    )


def _save_sponsor(form, application, by):
    return services.application_sponsor_update(application=application, by=by, **form.cleaned_data)


def _terms_form(request, application):
    return TermsForm(_posted(request))


def _save_terms(form, application, by):
    return services.application_terms_sign(application=application, by=by, **form.cleaned_data)


STEP_FORMS = {
    Step.ROLE: (_role_form, _save_role),
    Step.STREAM: (_stream_form, _save_stream),
    Step.STATEMENTS: (_statements_form, _save_statements),
    Step.SPONSOR: (_sponsor_form, _save_sponsor),
    Step.TERMS: (_terms_form, _save_terms),
}
STEP_TEMPLATES = {Step.TERMS: "hps/applicant/terms.html"}


@never_cache
@view_scheme_required
@require_http_methods(GET_AND_POST)
def application_step(request, pk, step):
    """One step of the form. Saving it saves the draft; the applicant can come back to it later."""
    application = application_of_applicant(user=request.user, pk=pk)
    try:
        step = Step(step)
    except ValueError:
        raise Http404 from None
    if step == Step.SPONSOR and services.may_name_another_sponsor(application):
        return _sponsor_replace(request, application)
    if application.status != Application.Status.DRAFT:
        messages.info(request, services.NOT_EDITABLE)
        return _detail(application)
    if not services.is_step_startable(application, step):
        messages.info(request, "Complete the other sections of your application before you sign")
        return _detail(application)
    make_form, save = STEP_FORMS[step]
    form = make_form(request, application)
    from_check = request.GET.get("from") == FROM_CHECK
    if request.method == "POST" and form.is_valid():
        try:
            application = save(form, application, request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{services.STEP_TITLES[step]} saved")
            return redirect(_next_url(application, step, from_check=from_check))
    steps = list(Step)
    context = {
        "application": application,
        "cohort": application.cohort,
        "form": form,
        "step": step,
        "title": services.STEP_TITLES[step],
        "step_number": steps.index(step) + 1,
        "step_count": len(steps),
        "back_url": (
            reverse("hps:application_check", kwargs={"pk": application.pk})
            if from_check
            else reverse("hps:application_detail", kwargs={"pk": application.pk})
        ),
    }
    return render(request, STEP_TEMPLATES.get(step, "hps/applicant/step.html"), context)


def _sponsor_replace(request, application):
    """Name another sponsor after the first declined or their link expired; they are invited at once."""
    form = _sponsor_form(request, application, submit_text="Send the invitation")
    if request.method == "GET":
        form.initial = {"sponsor_relationship": application.sponsor_relationship}
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_sponsor_replace(
                application=application, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"We have asked {application.sponsor_email} to sponsor your application"
            )
            return _detail(application)
    return render(
        request,
        "hps/applicant/sponsor_replace.html",
        {
            "application": application,
            "cohort": application.cohort,
            "form": form,
            "sponsor": services.sponsor_status(application, services.latest_sponsor_invitation(application)),
        },
    )


# --- Check your answers and submit ---------------------------------------------------------------


@never_cache
@view_scheme_required
@require_http_methods(GET_AND_POST)
def application_check(request, pk):
    """Check your answers, with a Change link for each, then submit the application."""
    application = application_of_applicant(user=request.user, pk=pk)
    if application.status != Application.Status.DRAFT:
        messages.info(request, "This application has already been submitted")
        return _detail(application)
    errors = []
    if request.method == "POST":
        try:
            application = services.application_submit(application=application, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request, f"Application submitted. We have asked {application.sponsor_email} to sign"
            )
            return _detail(application)
    elif not services.is_ready_to_submit(application):
        messages.info(request, "Complete every section of your application before you check your answers")
        return _detail(application)
    change_urls = {step.value: _step_url(application, step, from_check=True) for step in Step}
    return render(
        request,
        "hps/applicant/check.html",
        {
            "application": application,
            "cohort": application.cohort,
            "statements": [(statement, getattr(application, statement.field)) for statement in STATEMENTS],
            "change_urls": change_urls,
            "errors": errors,
        },
    )


# --- Withdrawing, and answering an offer ---------------------------------------------------------


def _confirm(request, pk, *, name: str, template_context: dict, act, success: str, with_reason: bool):
    application = application_of_applicant(user=request.user, pk=pk)
    if find_transition(source=application.status, name=name) is None:
        messages.info(request, "You cannot do that now: the status of your application has changed")
        return _detail(application)
    form = (
        ReasonForm(
            _posted(request),
            label=template_context["reason_label"],
            submit_text=template_context["button"],
            warning=template_context.get("is_warning", False),
        )
        if with_reason
        else None
    )
    if request.method == "POST" and (form is None or form.is_valid()):
        reason = form.cleaned_data["reason"] if form is not None else ""
        try:
            act(application=application, by=request.user, reason=reason)
        except ValidationError as error:
            if form is None:
                messages.info(request, " ".join(error.messages))
                return _detail(application)
            add_service_errors(form, error)
        else:
            messages.success(request, success.format(cohort=application.cohort.name))
            return _detail(application)
    return render(
        request,
        "hps/applicant/confirm.html",
        {"application": application, "cohort": application.cohort, "form": form, **template_context},
    )


@never_cache
@view_scheme_required
@require_http_methods(GET_AND_POST)
def application_withdraw(request, pk):
    return _confirm(
        request,
        pk,
        name="withdraw",
        template_context={
            "title": "Are you sure you want to withdraw your application?",
            "intro": (
                "You cannot undo this. To apply to this intake again, you would need to ask the "
                "HPS Careers Hub."
            ),
            "reason_label": "Why are you withdrawing? (optional)",
            "button": "Withdraw application",
            "is_warning": True,
        },
        act=services.application_withdraw,
        success="You have withdrawn your application to {cohort}",
        with_reason=True,
    )


@never_cache
@view_scheme_required
@require_http_methods(GET_AND_POST)
def application_offer_accept(request, pk):
    return _confirm(
        request,
        pk,
        name="accept_offer",
        template_context={
            "title": "Accept your place on the High Potential Scheme",
            "intro": (
                "The scheme lasts 24 months. Your sponsor and your career coach will support you through "
                "it. The people who run your intake will tell you what happens next."
            ),
            "button": "Accept my place",
        },
        act=lambda *, application, by, reason: services.application_offer_accept(
            application=application, by=by
        ),
        success="You have accepted your place on {cohort}",
        with_reason=False,
    )


@never_cache
@view_scheme_required
@require_http_methods(GET_AND_POST)
def application_offer_decline(request, pk):
    return _confirm(
        request,
        pk,
        name="decline_offer",
        template_context={
            "title": "Are you sure you want to decline your place?",
            "intro": "You cannot undo this. Your place may be offered to someone else.",
            "reason_label": "Why are you declining? (optional)",
            "button": "Decline my place",
            "is_warning": True,
        },
        act=services.application_offer_decline,
        success="You have declined your place on {cohort}",
        with_reason=True,
    )
