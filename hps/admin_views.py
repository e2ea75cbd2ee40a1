"""The HPS administrator's pages: cohorts, the review queue, decisions, assessment results and export.

Only current HPS administrators reach them (`hps.administer_cohorts`, a 404 for anyone else), and
cohorts and applications are loaded only through the scoped selectors, so anything outside the
cohorts the administrator runs is a 404 too. Every view of an application is audited.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.audit import audit_read
from core.decorators import permission_required_or_404
from hps import admin_services, csv_export, csv_import
from hps.admin_forms import (
    DECISION_BUTTONS,
    AssessmentImportForm,
    CohortForm,
    DecisionForm,
    QueueFilterForm,
)
from hps.admin_selectors import (
    administrator_actions,
    application_history,
    application_queue,
    cohort_with_counts,
    cohorts_with_counts,
    eligibility_answers,
    eligibility_checks,
    integrated_care_systems_for_cohort,
    organisations_applying_to,
    pay_bands_for_cohort,
    sponsor_invitations_of,
    status_counts,
    supporting_statements,
)
from hps.selectors import application_administered_by, applications_administered_by, cohort_administered_by
from hps.services import NOT_ALLOWED

PAGE_SIZE = 25

administer_required = permission_required_or_404("hps.administer_cohorts")


def _call_service(form, service, **kwargs):
    """Run a service, putting its validation errors on the form. Returns None when it refused."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        form.add_error(None, error)
        return None


def _cohort_values(form) -> dict:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "integrated_care_systems": data["integrated_care_systems"],
        "eligible_pay_bands": data["eligible_pay_bands"],
        "opens_on": data["opens_on"],
        "closes_on": data["closes_on"],
        "starts_on": data["starts_on"],
        "capacity": data["capacity"],
        "terms_text": data["terms_text"],
        "terms_version": data["terms_version"],
    }


# --- Cohorts ------------------------------------------------------------------------------------


@administer_required
@require_http_methods(["GET", "HEAD"])
def cohort_list(request):
    page = Paginator(cohorts_with_counts(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "hps/administer/cohort_list.html", {"page": page})


@administer_required
@require_http_methods(["GET", "HEAD", "POST"])
def cohort_create(request):
    form = CohortForm(
        request.POST if request.method == "POST" else None,
        integrated_care_systems=integrated_care_systems_for_cohort(user=request.user),
        pay_bands=pay_bands_for_cohort(),
    )
    if request.method == "POST" and form.is_valid():
        cohort = _call_service(form, admin_services.cohort_create, by=request.user, **_cohort_values(form))
        if cohort is not None:
            messages.success(request, f"{cohort.name} created")
            return redirect("hps:cohort_detail", pk=cohort.pk)
    return render(request, "hps/administer/cohort_form.html", {"form": form, "cohort": None})


@administer_required
@require_http_methods(["GET", "HEAD"])
def cohort_detail(request, pk):
    cohort = cohort_with_counts(user=request.user, pk=pk)
    return render(
        request,
        "hps/administer/cohort_detail.html",
        {"cohort": cohort, "counts": status_counts(cohort)},
    )


@administer_required
@require_http_methods(["GET", "HEAD", "POST"])
def cohort_edit(request, pk):
    cohort = cohort_administered_by(user=request.user, pk=pk)
    form = CohortForm(
        request.POST if request.method == "POST" else None,
        integrated_care_systems=integrated_care_systems_for_cohort(user=request.user, cohort=cohort),
        pay_bands=pay_bands_for_cohort(cohort),
        initial={
            "name": cohort.name,
            "integrated_care_systems": [ics.pk for ics in cohort.integrated_care_systems.all()],
            "eligible_pay_bands": [band.pk for band in cohort.eligible_pay_bands.all()],
            "opens_on": cohort.opens_on,
            "closes_on": cohort.closes_on,
            "starts_on": cohort.starts_on,
            "capacity": cohort.capacity,
            "terms_text": cohort.terms_text,
            "terms_version": cohort.terms_version,
        },
        submit_text="Save changes",
    )
    if request.method == "POST" and form.is_valid():
        updated = _call_service(
            form, admin_services.cohort_update, cohort=cohort, by=request.user, **_cohort_values(form)
        )
        if updated is not None:
            messages.success(request, "Cohort changes saved")
            return redirect("hps:cohort_detail", pk=cohort.pk)
    return render(request, "hps/administer/cohort_form.html", {"form": form, "cohort": cohort})


# --- The review queue and one application ------------------------------------------------------


@administer_required
@require_http_methods(["GET", "HEAD"])
def application_queue_view(request, pk):
    cohort = cohort_administered_by(user=request.user, pk=pk)
    filters = {key: value for key, value in request.GET.items() if key != "page"}
    form = QueueFilterForm(
        filters or None, organisations=organisations_applying_to(user=request.user, cohort=cohort)
    )
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    applications = application_queue(
        user=request.user,
        cohort=cohort,
        status=chosen.get("status", ""),
        organisation=chosen.get("organisation"),
        development_stream=chosen.get("development_stream"),
        sort=chosen.get("sort", ""),
    )
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "hps/administer/application_queue.html",
        {"cohort": cohort, "form": form, "page": page, "is_filtered": bool(filters)},
    )


@never_cache
@administer_required
@require_http_methods(["GET", "HEAD"])
def application_review(request, pk):
    application = application_administered_by(user=request.user, pk=pk)
    audit_read(actor=request.user, instance=application, verb="hps_application_review")
    actions = [
        {
            "name": transition.name,
            "text": DECISION_BUTTONS[transition.name],
            "needs_reason": transition.needs_reason,
        }
        # The decision that moves the application on first, the rejections after it.
        for transition in sorted(administrator_actions(application), key=lambda t: t.needs_reason)
    ]
    return render(
        request,
        "hps/administer/application_review.html",
        {
            "application": application,
            "cohort": application.cohort,
            "checks": eligibility_checks(application),
            "answers": eligibility_answers(application),
            "statements": supporting_statements(application),
            "history": application_history(application),
            "invitations": sponsor_invitations_of(application),
            "actions": actions,
            "is_own_application": application.applicant_id == request.user.pk,
        },
    )


@never_cache
@administer_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_act(request, pk, name):
    application = application_administered_by(user=request.user, pk=pk)
    if name not in admin_services.DECISIONS:
        raise Http404
    if name not in {transition.name for transition in administrator_actions(application)}:
        status = application.get_status_display().lower()
        messages.error(request, f"{NOT_ALLOWED}: its status is now {status}. Nothing was changed.")
        return redirect("hps:application_review", pk=application.pk)
    form = DecisionForm(request.POST if request.method == "POST" else None, name=name)
    if request.method == "POST" and form.is_valid():
        decided = _call_service(
            form,
            admin_services.application_decide,
            application=application,
            by=request.user,
            name=name,
            reason=form.cleaned_data.get("reason", ""),
            completed_on=form.cleaned_data.get("completed_on"),
            result=form.cleaned_data.get("result", ""),
        )
        if decided is not None:
            messages.success(
                request, f"{DECISION_BUTTONS[name]}: done. {application.applicant} has been told."
            )
            return redirect("hps:application_review", pk=application.pk)
    audit_read(actor=request.user, instance=application, verb="hps_application_decision_view")
    return render(
        request,
        "hps/administer/application_act.html",
        {
            "application": application,
            "cohort": application.cohort,
            "name": name,
            "title": DECISION_BUTTONS[name],
            "form": form,
        },
    )


# --- Assessment results and export --------------------------------------------------------------


@administer_required
@require_http_methods(["GET", "HEAD", "POST"])
def assessment_import(request, pk):
    cohort = cohort_administered_by(user=request.user, pk=pk)
    form = AssessmentImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        rows = _call_service(
            form,
            csv_import.assessment_results_import,
            upload=form.cleaned_data["file"],
            cohort=cohort,
            by=request.user,
        )
        if rows is not None:
            return render(
                request, "hps/administer/assessment_import_done.html", {"cohort": cohort, "rows": rows}
            )
    return render(
        request,
        "hps/administer/assessment_import.html",
        {
            "cohort": cohort,
            "form": form,
            "example": csv_import.EXAMPLE,
            "max_rows": csv_import.MAX_ROWS,
        },
    )


@never_cache
@administer_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_export(request, pk):
    cohort = cohort_administered_by(user=request.user, pk=pk)
    if request.method == "POST":
        export = csv_export.application_export(cohort=cohort, by=request.user)
        response = StreamingHttpResponse(
            csv_export.csv_lines(export.lines()), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response
    count = applications_administered_by(user=request.user).filter(cohort=cohort).count()
    return render(request, "hps/administer/application_export.html", {"cohort": cohort, "count": count})
