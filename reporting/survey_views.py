"""The page where a talent lead uploads their organisations' NHS Staff Survey results.

Only talent leads reach it (`reporting.view_dashboards`, a 404 for anyone else), and a file can hold
results only for the organisations their role assignments cover.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.selectors import organisations_in_scope
from core.decorators import permission_required_or_404
from reporting import survey
from reporting.models import SurveyTheme
from reporting.survey_forms import SurveyImportForm


@permission_required_or_404("reporting.view_dashboards")
@require_http_methods(["GET", "HEAD", "POST"])
def survey_import(request):
    organisations = organisations_in_scope(request.user)
    if not organisations.exists():
        # The permission alone lets a superuser through; without organisations there is nothing to import.
        raise Http404
    form = SurveyImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = survey.import_survey_results(
                user=request.user,
                file=form.cleaned_data["file"],
                organisations_in_scope=organisations,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, result.summary)
            return redirect("reporting:dashboard_detail", slug="survey")
    themes = [(str(SurveyTheme(theme).label), names) for theme, names in survey.THEME_NAMES.items()]
    return render(
        request,
        "reporting/survey_import.html",
        {
            "form": form,
            "example": survey.EXAMPLE,
            "max_rows": f"{survey.MAX_ROWS:,}",
            "first_year": survey.FIRST_YEAR,
            "themes": themes,
        },
    )
