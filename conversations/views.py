from django.core.paginator import Paginator
from django.shortcuts import render

from conversations.selectors import TEAM_ORDERINGS, direct_reports_of, own_staff_profile
from core.decorators import permission_required_or_404

TEAM_PAGE_SIZE = 25


@permission_required_or_404("conversations.view_own_growth")
def growth(request):
    return render(request, "conversations/growth.html", {"profile": own_staff_profile(user=request.user)})


@permission_required_or_404("conversations.view_team")
def team(request):
    ordering = request.GET.get("sort", "name")
    if ordering not in TEAM_ORDERINGS:
        ordering = "name"
    paginator = Paginator(direct_reports_of(manager=request.user, ordering=ordering), TEAM_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "conversations/team.html",
        {"page": page, "ordering": ordering, "orderings": list(TEAM_ORDERINGS)},
    )
