"""Talent pools, the critical roles register, and nomination to a pool from a conversation record.

Pools and roles are loaded only through the scoped selectors in `conversations.talent_selectors`, so
anything outside the talent lead's scope is a 404; every change goes through a talent service.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from conversations import talent_services
from conversations.models import Conversation
from conversations.selectors import conversation_facilitated_by
from conversations.talent_forms import (
    CriticalRoleForm,
    MembershipStatusForm,
    NominationForm,
    SuccessorForm,
    TalentPoolForm,
)
from conversations.talent_selectors import (
    critical_role_for,
    critical_roles_visible_to,
    membership_for,
    memberships_of,
    open_pools_for_nomination,
    successor_candidates,
    successor_for,
    successors_of,
    talent_lead_organisations,
    talent_pool_for,
    talent_pools_visible_to,
)
from core.decorators import permission_required_or_404

PAGE_SIZE = 25
MEMBERS_PAGE_SIZE = 50

manage_talent_required = permission_required_or_404("conversations.manage_talent")


def _call_service(form, service, **kwargs):
    """Run a service, putting its validation errors on the form. Returns None when it refused."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        form.add_error(None, error)
        return None


def _page(request, queryset, size):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


# --- Talent pools -------------------------------------------------------------------------------


@manage_talent_required
@require_http_methods(["GET", "HEAD"])
def talent_pool_list(request):
    page = _page(request, talent_pools_visible_to(user=request.user), PAGE_SIZE)
    return render(request, "conversations/talent/pool_list.html", {"page": page})


@manage_talent_required
@require_http_methods(["GET", "HEAD", "POST"])
def talent_pool_create(request):
    organisations = talent_lead_organisations(request.user)
    form = TalentPoolForm(request.POST if request.method == "POST" else None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        pool = _call_service(
            form,
            talent_services.talent_pool_create,
            organisation=form.cleaned_data["organisation"],
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            created_by=request.user,
        )
        if pool is not None:
            messages.success(request, f"{pool.name} talent pool created")
            return redirect("conversations:talent_pool_detail", pk=pool.pk)
    return render(request, "conversations/talent/pool_form.html", {"form": form, "pool": None})


@manage_talent_required
@require_http_methods(["GET", "HEAD"])
def talent_pool_detail(request, pk):
    pool = talent_pool_for(user=request.user, pk=pk)
    page = _page(request, memberships_of(pool), MEMBERS_PAGE_SIZE)
    return render(request, "conversations/talent/pool_detail.html", {"pool": pool, "page": page})


@manage_talent_required
@require_http_methods(["GET", "HEAD", "POST"])
def talent_pool_update(request, pk):
    pool = talent_pool_for(user=request.user, pk=pk)
    form = TalentPoolForm(
        request.POST if request.method == "POST" else None,
        initial={"name": pool.name, "description": pool.description},
        submit_text="Save changes",
    )
    if request.method == "POST" and form.is_valid():
        updated = _call_service(
            form,
            talent_services.talent_pool_update,
            pool=pool,
            updated_by=request.user,
            data={"name": form.cleaned_data["name"], "description": form.cleaned_data["description"]},
        )
        if updated is not None:
            messages.success(request, "Talent pool changes saved")
            return redirect("conversations:talent_pool_detail", pk=pool.pk)
    return render(request, "conversations/talent/pool_form.html", {"form": form, "pool": pool})


def _set_pool_open(request, pk, *, is_open: bool):
    pool = talent_pool_for(user=request.user, pk=pk)
    talent_services.talent_pool_update(pool=pool, updated_by=request.user, data={"is_open": is_open})
    messages.success(request, f"{pool.name} talent pool {'reopened' if is_open else 'closed'}")
    return redirect("conversations:talent_pool_detail", pk=pool.pk)


@manage_talent_required
@require_POST
def talent_pool_close(request, pk):
    return _set_pool_open(request, pk, is_open=False)


@manage_talent_required
@require_POST
def talent_pool_reopen(request, pk):
    return _set_pool_open(request, pk, is_open=True)


@manage_talent_required
@require_http_methods(["GET", "HEAD", "POST"])
def talent_pool_membership_status(request, pool_pk, pk):
    pool = talent_pool_for(user=request.user, pk=pool_pk)
    membership = membership_for(pool=pool, pk=pk)
    initial = (
        {"status": membership.status}
        if membership.status in talent_services.MEMBERSHIP_STATUSES_TO_SET
        else {}
    )
    form = MembershipStatusForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        updated = _call_service(
            form,
            talent_services.talent_pool_membership_set_status,
            membership=membership,
            status=form.cleaned_data["status"],
            changed_by=request.user,
        )
        if updated is not None:
            messages.success(request, f"Status of {membership.individual} saved")
            return redirect("conversations:talent_pool_detail", pk=pool.pk)
    return render(
        request,
        "conversations/talent/membership_status.html",
        {"form": form, "pool": pool, "membership": membership},
    )


@manage_talent_required
@require_http_methods(["GET", "HEAD", "POST"])
def talent_pool_membership_remove(request, pool_pk, pk):
    pool = talent_pool_for(user=request.user, pk=pool_pk)
    membership = membership_for(pool=pool, pk=pk)
    if request.method == "POST":
        talent_services.talent_pool_membership_remove(membership=membership, removed_by=request.user)
        messages.success(request, f"{membership.individual} removed from the {pool.name} talent pool")
        return redirect("conversations:talent_pool_detail", pk=pool.pk)
    return render(
        request, "conversations/talent/membership_remove.html", {"pool": pool, "membership": membership}
    )


# --- Nomination from a conversation record ----------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def conversation_nominate(request, pk):
    """The facilitator of a recorded conversation nominates the person to a pool of their organisation."""
    conversation = conversation_facilitated_by(user=request.user, pk=pk)
    if not request.user.has_perm("conversations.nominate_to_talent_pool", conversation):
        raise Http404
    # Nomination is made from the record: a conversation never recorded, or cancelled, has none.
    if conversation.status == Conversation.Status.CANCELLED or not conversation.records.exists():
        raise Http404
    pools = open_pools_for_nomination(individual=conversation.individual)
    form = NominationForm(request.POST if request.method == "POST" else None, pools=pools)
    if request.method == "POST" and form.is_valid():
        membership = _call_service(
            form,
            talent_services.talent_pool_nominate,
            pool=form.cleaned_data["pool"],
            individual=conversation.individual,
            nominated_by=request.user,
            source_conversation=conversation,
            reason=form.cleaned_data["reason"],
        )
        if membership is not None:
            messages.success(
                request, f"{conversation.individual} nominated to the {membership.pool.name} talent pool"
            )
            return redirect("conversations:conversation_detail", pk=conversation.pk)
    return render(
        request,
        "conversations/talent/nominate.html",
        {
            "form": form,
            "conversation": conversation,
            "has_pools": pools.exists(),
            "back_url": reverse("conversations:conversation_detail", kwargs={"pk": conversation.pk}),
        },
    )


# --- Critical roles and successors -------------------------------------------------------------


@manage_talent_required
@require_http_methods(["GET", "HEAD"])
def critical_role_list(request):
    page = _page(request, critical_roles_visible_to(user=request.user), PAGE_SIZE)
    return render(request, "conversations/talent/critical_role_list.html", {"page": page})


@manage_talent_required
@require_http_methods(["GET", "HEAD", "POST"])
def critical_role_create(request):
    form = CriticalRoleForm(
        request.POST if request.method == "POST" else None,
        organisations=talent_lead_organisations(request.user),
    )
    if request.method == "POST" and form.is_valid():
        critical_role = _call_service(
            form,
            talent_services.critical_role_create,
            organisation=form.cleaned_data["organisation"],
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            incumbent=form.cleaned_data["incumbent"],
            created_by=request.user,
        )
        if critical_role is not None:
            messages.success(request, f"{critical_role.title} added to the critical roles register")
            return redirect("conversations:critical_role_detail", pk=critical_role.pk)
    return render(
        request, "conversations/talent/critical_role_form.html", {"form": form, "critical_role": None}
    )


@manage_talent_required
@require_http_methods(["GET", "HEAD"])
def critical_role_detail(request, pk):
    critical_role = critical_role_for(user=request.user, pk=pk)
    return render(
        request,
        "conversations/talent/critical_role_detail.html",
        {"critical_role": critical_role, "successors": successors_of(critical_role)},
    )


@manage_talent_required
@require_http_methods(["GET", "HEAD", "POST"])
def critical_role_update(request, pk):
    critical_role = critical_role_for(user=request.user, pk=pk)
    form = CriticalRoleForm(
        request.POST if request.method == "POST" else None,
        organisation=critical_role.organisation,
        initial={
            "title": critical_role.title,
            "description": critical_role.description,
            "incumbent": critical_role.incumbent.email if critical_role.incumbent else "",
        },
        submit_text="Save changes",
    )
    if request.method == "POST" and form.is_valid():
        updated = _call_service(
            form,
            talent_services.critical_role_update,
            critical_role=critical_role,
            updated_by=request.user,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            incumbent=form.cleaned_data["incumbent"],
        )
        if updated is not None:
            messages.success(request, "Critical role changes saved")
            return redirect("conversations:critical_role_detail", pk=critical_role.pk)
    return render(
        request,
        "conversations/talent/critical_role_form.html",
        {"form": form, "critical_role": critical_role},
    )


@manage_talent_required
@require_http_methods(["GET", "HEAD", "POST"])
def successor_add(request, pk):
    critical_role = critical_role_for(user=request.user, pk=pk)
    candidates = successor_candidates(user=request.user, critical_role=critical_role)
    form = SuccessorForm(request.POST if request.method == "POST" else None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        successor = _call_service(
            form,
            talent_services.successor_add,
            critical_role=critical_role,
            individual=form.cleaned_data["individual"],
            readiness=form.cleaned_data["readiness"],
            added_by=request.user,
        )
        if successor is not None:
            messages.success(request, f"{successor.individual} added as a successor")
            return redirect("conversations:critical_role_detail", pk=critical_role.pk)
    return render(
        request,
        "conversations/talent/successor_add.html",
        {"form": form, "critical_role": critical_role, "has_candidates": bool(candidates)},
    )


@manage_talent_required
@require_http_methods(["GET", "HEAD", "POST"])
def successor_remove(request, role_pk, pk):
    critical_role = critical_role_for(user=request.user, pk=role_pk)
    successor = successor_for(critical_role=critical_role, pk=pk)
    if request.method == "POST":
        talent_services.successor_remove(successor=successor, removed_by=request.user)
        messages.success(request, f"{successor.individual} removed as a successor")
        return redirect("conversations:critical_role_detail", pk=critical_role.pk)
    return render(
        request,
        "conversations/talent/successor_remove.html",
        {"critical_role": critical_role, "successor": successor},
    )
