"""Reads and writes for exports: the conversation record PDF and the portable export.

A conversation record PDF is for anyone who may read the conversation, with the same privacy rules
as the screens (wellbeing notes and reflection only for the individual or when shared; the
facilitator's preparation never). The portable export is the person's own copy of everything the
service holds about them, to take to another NHS employer: a PDF and a JSON file built by a Celery
task, kept in private storage and downloadable only by them until it expires.
"""

import datetime
import json
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.models import EqualityProfile, StaffProfile
from conversations.models import (
    ActionProgressUpdate,
    Ambition,
    AspirationTimeframe,
    Conversation,
    ConversationRecord,
    DevelopmentAction,
    FacilitatorRole,
    GrowthCategory,
    GrowthSharing,
    PortableExport,
    Readiness,
    Successor,
    TalentPoolMembership,
)
from conversations.selectors import (
    conversation_for,
    latest_record,
    may_see_reflection,
    may_see_wellbeing_notes,
)
from core.audit import audit, audit_read
from core.models import AuditEvent, NotificationPreference
from core.pdf import render_pdf

logger = logging.getLogger(__name__)

#: How long a portable export can be downloaded before it must be created again.
PORTABLE_EXPORT_LIFETIME = datetime.timedelta(days=7)
#: A pending export younger than this is still being built: asking again does not start another.
PORTABLE_EXPORT_PENDING_WINDOW = datetime.timedelta(hours=1)
#: How many exports the export page lists (newest first).
PORTABLE_EXPORTS_LISTED = 20
#: The version of the JSON document's layout. Change it when a key is renamed or removed.
PORTABLE_EXPORT_SCHEMA_VERSION = "1.0"

EXPORT_KINDS = {"pdf": "application/pdf", "json": "application/json"}

EQUALITY_FIELDS = (
    "ethnic_category",
    "sex",
    "gender_identity",
    "gender_same_as_birth",
    "sexual_orientation",
    "religion_group",
    "disability",
    "age_band",
    "source",
)


def _name(user) -> str:
    return user.get_full_name() or user.email


# Conversation record PDF ------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanAction:
    """A development action with its most recent progress note (None if there is none yet)."""

    action: DevelopmentAction
    latest_progress: ActionProgressUpdate | None


@dataclass(frozen=True)
class ConversationRecordDocument:
    """What a conversation record PDF shows to one reader."""

    conversation: Conversation
    individual_name: str
    profile: StaffProfile | None
    facilitator_name: str
    held_on: datetime.date
    record: ConversationRecord | None
    plan: list[PlanAction]
    wellbeing_notes: str | None
    reflection: str | None


def _plan_of(conversation: Conversation) -> list[PlanAction]:
    actions = conversation.actions.select_related("leadership_dimension").prefetch_related(
        Prefetch(
            "progress_updates",
            queryset=ActionProgressUpdate.objects.order_by("-created_at", "-id"),
            to_attr="progress_newest_first",
        )
    )
    return [
        PlanAction(action=action, latest_progress=next(iter(action.progress_newest_first), None))
        for action in actions.order_by("due_on", "id")
    ]


def conversation_record_document(*, conversation: Conversation, reader) -> ConversationRecordDocument:
    """The content of a conversation's record PDF as `reader` may see it.

    The facilitator's preparation is left out for everyone, the facilitator included: it is their
    private working notes, not part of the record.
    """
    record = latest_record(conversation)
    profile = StaffProfile.objects.filter(user_id=conversation.individual_id).select_related("organisation")
    wellbeing_visible = may_see_wellbeing_notes(user=reader, conversation=conversation)
    reflection_visible = may_see_reflection(user=reader, conversation=conversation)
    return ConversationRecordDocument(
        conversation=conversation,
        individual_name=_name(conversation.individual),
        profile=profile.first(),
        facilitator_name=_name(conversation.facilitator),
        held_on=record.held_on if record else conversation.planned_for,
        record=record,
        plan=_plan_of(conversation),
        wellbeing_notes=conversation.wellbeing_notes if wellbeing_visible else None,
        reflection=conversation.individual_reflection if reflection_visible else None,
    )


@dataclass(frozen=True)
class PdfDownload:
    filename: str
    content: bytes


def conversation_pdf_download(*, user, pk) -> PdfDownload:
    """The record PDF of a conversation `user` may read (404 otherwise).

    A read by anyone but the individual is written to the audit log.
    """
    conversation = conversation_for(user=user, pk=pk)
    document = conversation_record_document(conversation=conversation, reader=user)
    content = render_pdf(
        "pdf/conversation_record.html",
        {"document": document, "generated_at": timezone.localtime()},
    )
    if user.pk != conversation.individual_id:
        audit_read(actor=user, instance=conversation, verb="conversation_pdf_download")
    return PdfDownload(
        filename=f"scope-for-growth-record-{document.held_on.isoformat()}.pdf", content=content
    )


# Portable export: what it holds -----------------------------------------------------------------


@dataclass(frozen=True)
class EqualityAnswer:
    field: str
    question: str
    code: str
    label: str


@dataclass(frozen=True)
class PortableData:
    """Everything the service holds about a person, loaded in a fixed number of queries."""

    user: Any
    profile: StaffProfile | None
    conversations: list[Conversation]
    memberships: list[TalentPoolMembership]
    succession: list[Successor]
    equality_answers: list[EqualityAnswer] | None
    is_reminder_email_wanted: bool
    is_history_shared_with_new_managers: bool


def _equality_answers(user) -> list[EqualityAnswer] | None:
    equality_profile = EqualityProfile.objects.filter(user=user).first()
    if equality_profile is None:
        return None
    answers = []
    for name in EQUALITY_FIELDS:
        field = EqualityProfile._meta.get_field(name)
        code = getattr(equality_profile, name)
        answers.append(
            EqualityAnswer(
                field=name,
                question=str(field.verbose_name).capitalize(),
                code=code,
                label=str(dict(field.flatchoices).get(code, code)),
            )
        )
    return answers


def portable_export_data(*, user) -> PortableData:
    """The person's own data: never the facilitator's preparation notes."""
    conversations = (
        Conversation.objects.filter(individual=user)
        .select_related("facilitator")
        .prefetch_related(
            Prefetch(
                "records",
                queryset=ConversationRecord.objects.select_related(
                    "framework_version", "current_impact_level", "target_impact_level", "recorded_by"
                )
                .prefetch_related("strength_dimensions", "barriers")
                .order_by("version"),
            ),
            Prefetch(
                "actions",
                queryset=DevelopmentAction.objects.select_related("leadership_dimension")
                .prefetch_related(
                    Prefetch(
                        "progress_updates",
                        queryset=ActionProgressUpdate.objects.select_related("created_by").order_by(
                            "created_at", "id"
                        ),
                    )
                )
                .order_by("due_on", "id"),
            ),
        )
        .order_by("planned_for", "id")
    )
    memberships = (
        TalentPoolMembership.objects.filter(individual=user)
        .select_related("pool__organisation", "nominated_by")
        .order_by("created_at", "id")
    )
    succession = (
        Successor.objects.filter(individual=user)
        .select_related("critical_role__organisation")
        .order_by("created_at", "id")
    )
    preference = NotificationPreference.objects.filter(user=user).first()
    sharing = GrowthSharing.objects.filter(user=user).first()
    return PortableData(
        user=user,
        profile=StaffProfile.objects.filter(user=user)
        .select_related("organisation", "pay_band", "staff_group", "line_manager")
        .first(),
        conversations=list(conversations),
        memberships=list(memberships),
        succession=list(succession),
        equality_answers=_equality_answers(user),
        is_reminder_email_wanted=preference.is_reminder_email_wanted if preference else True,
        is_history_shared_with_new_managers=(
            sharing.is_history_shared_with_new_managers if sharing else False
        ),
    )


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _datetime(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _choice(value: str, choices: type[models.Choices]) -> dict[str, str]:
    return {"code": value, "label": str(dict(choices.choices).get(value, value))}


def _reference(item) -> dict[str, str] | None:
    return {"code": item.code, "label": item.name} if item is not None else None


def _record_json(record: ConversationRecord) -> dict[str, Any]:
    return {
        "version": record.version,
        "held_on": _date(record.held_on),
        "recorded_at": _datetime(record.recorded_at),
        "recorded_by": {"name": _name(record.recorded_by)},
        "change_reason": record.change_reason,
        "wellbeing_discussed": record.wellbeing_discussed,
        "support_signposted": record.support_signposted,
        "strengths": record.strengths,
        "strength_dimensions": [_reference(item) for item in record.strength_dimensions.all()],
        "ambition": {
            "depth": _choice(record.ambition_depth, Ambition),
            "breadth": _choice(record.ambition_breadth, Ambition),
            "stretch": _choice(record.ambition_stretch, Ambition),
        },
        "aspirations": record.aspirations,
        "aspiration_timeframe": _choice(record.aspiration_timeframe, AspirationTimeframe),
        "framework_version": {
            "name": record.framework_version.name,
            "effective_from": _date(record.framework_version.effective_from),
        },
        "current_position": {
            "impact_level": {
                "order": record.current_impact_level.order,
                "label": record.current_impact_level.label,
            },
            "growth_category": _choice(record.current_growth_category, GrowthCategory),
        },
        "target_position": {
            "impact_level": {
                "order": record.target_impact_level.order,
                "label": record.target_impact_level.label,
            },
            "growth_category": _choice(record.target_growth_category, GrowthCategory),
        },
        "readiness": _choice(record.readiness, Readiness),
        "barriers": [_reference(item) for item in record.barriers.all()],
        "barrier_notes": record.barrier_notes,
        "organisation_support": record.organisation_support,
        "next_conversation_due": _date(record.next_conversation_due),
        "individual_response": _choice(record.individual_response, ConversationRecord.Response),
        "individual_responded_at": _datetime(record.individual_responded_at),
        "individual_comment": record.individual_comment,
    }


def _action_json(action: DevelopmentAction) -> dict[str, Any]:
    return {
        "id": action.pk,
        "description": action.description,
        "action_type": _choice(action.action_type, DevelopmentAction.ActionType),
        "owner": _choice(action.owner, DevelopmentAction.Owner),
        "leadership_dimension": _reference(action.leadership_dimension),
        "due_on": _date(action.due_on),
        "status": _choice(action.status, DevelopmentAction.Status),
        "progress_updates": [
            {
                "created_at": _datetime(update.created_at),
                "by": {"name": _name(update.created_by)},
                "note": update.note,
                "status": _choice(update.status, DevelopmentAction.Status),
            }
            for update in action.progress_updates.all()
        ],
    }


def _conversation_json(conversation: Conversation) -> dict[str, Any]:
    return {
        "id": conversation.pk,
        "planned_for": _date(conversation.planned_for),
        "status": _choice(conversation.status, Conversation.Status),
        "facilitator": {
            "name": _name(conversation.facilitator),
            "role": _choice(conversation.facilitator_role, FacilitatorRole),
        },
        "requested_by_individual": conversation.requested_by_individual,
        "agreed_at": _datetime(conversation.agreed_at),
        "reflection": {
            "text": conversation.individual_reflection,
            "is_shared_with_facilitator": conversation.is_reflection_shared,
        },
        "wellbeing_notes": {
            "text": conversation.wellbeing_notes,
            "is_shared_with_facilitator": conversation.is_wellbeing_notes_shared,
        },
        "record_versions": [_record_json(record) for record in conversation.records.all()],
        "development_plan": [_action_json(action) for action in conversation.actions.all()],
    }


def portable_export_json(data: PortableData, *, generated_at: datetime.datetime) -> dict[str, Any]:
    """The JSON document of a portable export: stable keys, codes with labels, ISO 8601 dates."""
    profile = data.profile
    return {
        "schema_version": PORTABLE_EXPORT_SCHEMA_VERSION,
        "generated_at": _datetime(generated_at),
        "service": settings.SERVICE_NAME,
        "person": {
            "first_name": data.user.first_name,
            "last_name": data.user.last_name,
            "email": data.user.email,
        },
        "employment": (
            {
                "organisation": _reference(profile.organisation),
                "job_title": profile.job_title,
                "pay_band": _reference(profile.pay_band),
                "staff_group": _reference(profile.staff_group),
                "line_manager": {"name": _name(profile.line_manager)} if profile.line_manager else None,
                "esr_assignment_number": profile.esr_assignment_number,
            }
            if profile is not None
            else None
        ),
        "conversations": [_conversation_json(conversation) for conversation in data.conversations],
        "talent_pools": [
            {
                "pool": membership.pool.name,
                "organisation": _reference(membership.pool.organisation),
                "status": _choice(membership.status, TalentPoolMembership.Status),
                "nominated_on": _date(timezone.localdate(membership.created_at)),
                "nominated_by": {"name": _name(membership.nominated_by)},
                "reason": membership.reason,
            }
            for membership in data.memberships
        ],
        "succession_plans": [
            {
                "critical_role": successor.critical_role.title,
                "organisation": _reference(successor.critical_role.organisation),
                "readiness": {"code": successor.readiness, "label": successor.get_readiness_display()},
                "added_on": _date(timezone.localdate(successor.created_at)),
            }
            for successor in data.succession
        ],
        "equality_monitoring": (
            {answer.field: {"code": answer.code, "label": answer.label} for answer in data.equality_answers}
            if data.equality_answers is not None
            else None
        ),
        "notification_preferences": {"reminder_emails": data.is_reminder_email_wanted},
        "sharing": {"history_shared_with_new_managers": data.is_history_shared_with_new_managers},
    }


# Portable export: requesting, building and downloading ------------------------------------------


def portable_exports_of(*, user) -> QuerySet[PortableExport]:
    """The person's own exports, newest first."""
    return PortableExport.objects.filter(user=user).order_by("-created_at", "-id")[:PORTABLE_EXPORTS_LISTED]


@transaction.atomic
def portable_export_request(*, user) -> PortableExport:
    """Ask for a new portable export; it is built by a task after this transaction commits.

    Asking again while an export is still being created returns that export instead of starting
    another.
    """
    from conversations.tasks import build_portable_export_task

    now = timezone.now()
    in_progress = (
        PortableExport.objects.select_for_update()
        .filter(user=user, status=PortableExport.Status.PENDING)
        .filter(created_at__gt=now - PORTABLE_EXPORT_PENDING_WINDOW)
        .first()
    )
    if in_progress is not None:
        return in_progress
    export = PortableExport.objects.create(
        user=user, created_at=now, expires_at=now + PORTABLE_EXPORT_LIFETIME
    )
    audit(
        actor=user,
        action=AuditEvent.Action.CREATE,
        verb="portable_export_request",
        instance=export,
        after={"status": export.status, "expires_at": _datetime(export.expires_at)},
    )
    # Robust: a broker that is down must not lose the request the person just made; the export
    # stays pending and they can ask again after the pending window.
    transaction.on_commit(lambda: build_portable_export_task.delay(export.pk), robust=True)
    return export


def _notify_export_ready(export: PortableExport) -> None:
    try:
        from core.notifications import notify
    except ImportError:
        logger.warning("Notifications are not available: portable export %s is ready", export.pk)
        return
    notify(
        recipient=export.user,
        event_key=f"portable-export-ready:{export.pk}",
        title="Your record is ready to download",
        url=reverse("conversations:export"),
    )


def portable_export_build(*, export_id: int) -> PortableExport | None:
    """Build the PDF and JSON files of an export, mark it ready and tell its owner.

    Safe to run more than once: an export that is ready (or gone, or expired) is left alone, and
    files left by an interrupted run are replaced, not added to.
    """
    export = PortableExport.objects.filter(pk=export_id).select_related("user").first()
    if export is None or export.status == PortableExport.Status.READY or export.is_expired():
        return export
    generated_at = timezone.now()
    data = portable_export_data(user=export.user)
    document = portable_export_json(data, generated_at=generated_at)
    json_bytes = json.dumps(document, indent=2, ensure_ascii=False).encode("utf-8")
    pdf_bytes = render_pdf(
        "pdf/portable_export.html", {"data": data, "generated_at": timezone.localtime(generated_at)}
    )
    stem = f"scope-for-growth-export-{timezone.localdate(generated_at).isoformat()}"

    with transaction.atomic():
        export = PortableExport.objects.select_for_update().select_related("user").get(pk=export_id)
        if export.status == PortableExport.Status.READY:
            return export
        for field_file in (export.pdf_file, export.json_file):
            if field_file:
                field_file.delete(save=False)
        export.pdf_file.save(f"{stem}.pdf", ContentFile(pdf_bytes), save=False)
        export.json_file.save(f"{stem}.json", ContentFile(json_bytes), save=False)
        export.status = PortableExport.Status.READY
        export.completed_at = timezone.now()
        export.save(update_fields=["pdf_file", "json_file", "status", "completed_at"])
        audit(
            actor=None,
            action=AuditEvent.Action.UPDATE,
            verb="portable_export_build",
            instance=export,
            after={"status": export.status},
        )
        transaction.on_commit(lambda: _notify_export_ready(export))
    return export


def portable_export_fail(*, export_id: int) -> None:
    """Mark an export that could not be built, so the page says so and offers to try again."""
    with transaction.atomic():
        export = (
            PortableExport.objects.select_for_update()
            .filter(pk=export_id, status=PortableExport.Status.PENDING)
            .first()
        )
        if export is None:
            return
        export.status = PortableExport.Status.FAILED
        export.completed_at = timezone.now()
        export.save(update_fields=["status", "completed_at"])
        audit(
            actor=None,
            action=AuditEvent.Action.UPDATE,
            verb="portable_export_fail",
            instance=export,
            after={"status": export.status},
        )


def portable_exports_expired_delete(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of expired exports (the rows stay, so the page can say they expired)."""
    now = now or timezone.now()
    expired = PortableExport.objects.filter(expires_at__lte=now).exclude(pdf_file="", json_file="")
    count = 0
    for export in expired.iterator():
        for field_file in (export.pdf_file, export.json_file):
            if field_file:
                field_file.delete(save=False)
        export.save(update_fields=["pdf_file", "json_file"])
        audit(
            actor=None, action=AuditEvent.Action.DELETE, verb="portable_export_files_delete", instance=export
        )
        count += 1
    return count


class PortableExportExpired(Exception):
    """The export can no longer be downloaded: its owner must create a new one."""


@dataclass(frozen=True)
class ExportDownload:
    file: File
    filename: str
    content_type: str


def portable_export_download(*, user, pk, kind: str) -> ExportDownload:
    """One file of one of the person's own ready exports (404 for anyone else's or anything else)."""
    if kind not in EXPORT_KINDS:
        raise Http404
    export = PortableExport.objects.filter(pk=pk, user=user).first() if user.is_authenticated else None
    if export is None:
        raise Http404
    if export.is_expired():
        raise PortableExportExpired
    field_file = export.pdf_file if kind == "pdf" else export.json_file
    if export.status != PortableExport.Status.READY or not field_file:
        raise Http404
    try:
        opened = field_file.open("rb")
    except OSError as error:
        logger.error("The %s file of portable export %s is missing from storage", kind, export.pk)
        raise Http404 from error
    return ExportDownload(
        file=opened,
        filename=f"scope-for-growth-export-{timezone.localdate(export.created_at).isoformat()}.{kind}",
        content_type=EXPORT_KINDS[kind],
    )
