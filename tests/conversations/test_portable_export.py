import datetime
import io
import json

import pytest
import time_machine
from celery.exceptions import Retry
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from conversations.exports import portable_export_build, portable_exports_expired_delete
from conversations.models import (
    BarrierType,
    Conversation,
    ConversationRecord,
    DevelopmentAction,
    FacilitatorRole,
    GrowthSharing,
    LeadershipDimension,
    PortableExport,
    Readiness,
)
from conversations.tasks import build_portable_export_task
from core.models import AuditEvent, Notification, NotificationPreference
from tests.accounts.factories import EqualityProfileFactory, StaffProfileFactory
from tests.conversations.factories import (
    ActionProgressUpdateFactory,
    ConversationFactory,
    ConversationRecordFactory,
    CriticalRoleFactory,
    DevelopmentActionFactory,
    PortableExportFactory,
    SuccessorFactory,
    TalentPoolFactory,
    TalentPoolMembershipFactory,
)

NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC)
PREPARATION = "Ask about the band 7 vacancy on ward 12"
#: Session, user, roles, line manager check, exports.
EXPORT_PAGE_QUERIES = 5


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def record_data(frozen_time, individual, line_manager, organisation):
    """A person with a conversation (two record versions), a plan, a pool, equality answers and choices."""
    individual.last_name = "Okafor"
    individual.save()
    line_manager.last_name = "Hughes"
    line_manager.save()
    profile = individual.staff_profile
    profile.job_title = "Senior staff nurse"
    profile.save()
    conversation = ConversationFactory(
        individual=individual,
        facilitator=line_manager,
        planned_for=datetime.date(2026, 11, 2),
        status=Conversation.Status.AGREED,
        agreed_at=datetime.datetime(2026, 11, 6, 9, 30, tzinfo=datetime.UTC),
        facilitator_preparation=PREPARATION,
        individual_reflection="I would like to lead the morning huddle",
        is_reflection_shared=True,
        wellbeing_notes="Finding the run of night shifts hard",
    )
    ConversationRecordFactory(
        conversation=conversation,
        version=1,
        held_on=datetime.date(2026, 11, 3),
        next_conversation_due=datetime.date(2027, 11, 3),
        individual_response=ConversationRecord.Response.NOT_AGREED,
        individual_responded_at=datetime.datetime(2026, 11, 4, 8, tzinfo=datetime.UTC),
        individual_comment="My target should be breadth",
    )
    second = ConversationRecordFactory(
        conversation=conversation,
        version=2,
        held_on=datetime.date(2026, 11, 3),
        target_growth_category="breadth",
        next_conversation_due=datetime.date(2027, 11, 3),
        change_reason="Target changed to breadth",
        individual_response=ConversationRecord.Response.AGREED,
        individual_responded_at=datetime.datetime(2026, 11, 6, 9, 30, tzinfo=datetime.UTC),
    )
    second.strength_dimensions.set([LeadershipDimension.objects.get(code="LEADING_WITH_CARE")])
    second.barriers.set([BarrierType.objects.get(code="CARING_RESPONSIBILITIES")])
    action = DevelopmentActionFactory(
        conversation=conversation,
        description="Shadow the matron on a night shift",
        due_on=datetime.date(2027, 1, 31),
        status=DevelopmentAction.Status.IN_PROGRESS,
        leadership_dimension=LeadershipDimension.objects.get(code="ENGAGING_THE_TEAM"),
    )
    ActionProgressUpdateFactory(action=action, note="Booked for December", created_by=individual)
    membership = TalentPoolMembershipFactory(
        pool=TalentPoolFactory(name="Aspiring ward leaders", organisation=organisation),
        individual=individual,
        nominated_by=line_manager,
        reason="Ready for a band 7 role",
    )
    SuccessorFactory(
        critical_role=CriticalRoleFactory(title="Director of nursing", organisation=organisation),
        individual=individual,
        readiness=Readiness.ONE_TO_TWO_YEARS,
    )
    EqualityProfileFactory(
        user=individual,
        ethnic_category="N",
        sex="2",
        gender_identity="2",
        gender_same_as_birth="Y",
        sexual_orientation="1",
        religion_group="C",
        disability="N",
        age_band="35_44",
    )
    NotificationPreference.objects.create(user=individual, is_reminder_email_wanted=False)
    GrowthSharing.objects.create(user=individual, is_history_shared_with_new_managers=True)
    # Not theirs: someone else's conversation, and one they facilitate as a coach.
    ConversationFactory(facilitator=line_manager, facilitator_preparation="Someone else's notes")
    ConversationFactory(facilitator=individual, facilitator_role=FacilitatorRole.COACH)
    return {"conversation": conversation, "action": action, "membership": membership}


def expected_document(individual, line_manager, organisation, record_data):
    conversation = record_data["conversation"]
    profile = individual.staff_profile
    position = {"order": 1, "label": "Building impact"}

    def record(
        version, target_category, response, responded_at, comment, change_reason, dimensions, barriers
    ):
        return {
            "version": version,
            "held_on": "2026-11-03",
            "recorded_at": "2026-11-27T10:00:00+00:00",
            "recorded_by": {"name": "Morgan Hughes"},
            "change_reason": change_reason,
            "wellbeing_discussed": True,
            "support_signposted": False,
            "strengths": "Calm under pressure; mentors new starters",
            "strength_dimensions": dimensions,
            "ambition": {
                "depth": {"code": "some", "label": "Some interest"},
                "breadth": {"code": "not_now", "label": "Not a focus for now"},
                "stretch": {"code": "strong", "label": "Strong ambition"},
            },
            "aspirations": "Lead a ward within two years",
            "aspiration_timeframe": {"code": "one_to_two_years", "label": "In 1 to 2 years"},
            "framework_version": {
                "name": "Scope for Growth framework (working labels)",
                "effective_from": "2021-07-01",
            },
            "current_position": {
                "impact_level": position,
                "growth_category": {"code": "depth", "label": "Depth"},
            },
            "target_position": {
                "impact_level": {"order": 2, "label": "Established impact"},
                "growth_category": target_category,
            },
            "readiness": {"code": "one_to_two_years", "label": "Ready within 1 to 2 years"},
            "barriers": barriers,
            "barrier_notes": "",
            "organisation_support": "",
            "next_conversation_due": "2027-11-03",
            "individual_response": response,
            "individual_responded_at": responded_at,
            "individual_comment": comment,
        }

    return {
        "schema_version": "1.0",
        "generated_at": "2026-11-27T10:00:00+00:00",
        "service": "Scope for Growth",
        "person": {"first_name": "Imani", "last_name": "Okafor", "email": "individual@nhs.test"},
        "employment": {
            "organisation": {"code": organisation.code, "label": organisation.name},
            "job_title": "Senior staff nurse",
            "pay_band": {"code": "AFC6", "label": "Band 6"},
            "staff_group": {"code": "NURSES", "label": "Nurses and health visitors"},
            "line_manager": {"name": "Morgan Hughes"},
            "esr_assignment_number": profile.esr_assignment_number,
        },
        "conversations": [
            {
                "id": conversation.pk,
                "planned_for": "2026-11-02",
                "status": {"code": "agreed", "label": "Agreed"},
                "facilitator": {
                    "name": "Morgan Hughes",
                    "role": {"code": "line_manager", "label": "Line manager"},
                },
                "requested_by_individual": False,
                "agreed_at": "2026-11-06T09:30:00+00:00",
                "reflection": {
                    "text": "I would like to lead the morning huddle",
                    "is_shared_with_facilitator": True,
                },
                "wellbeing_notes": {
                    "text": "Finding the run of night shifts hard",
                    "is_shared_with_facilitator": False,
                },
                "record_versions": [
                    record(
                        1,
                        {"code": "stretch", "label": "Stretch and complexity"},
                        {"code": "not_agreed", "label": "Not agreed"},
                        "2026-11-04T08:00:00+00:00",
                        "My target should be breadth",
                        "",
                        [],
                        [],
                    ),
                    record(
                        2,
                        {"code": "breadth", "label": "Breadth"},
                        {"code": "agreed", "label": "Agreed"},
                        "2026-11-06T09:30:00+00:00",
                        "",
                        "Target changed to breadth",
                        [{"code": "LEADING_WITH_CARE", "label": "Leading with care"}],
                        [{"code": "CARING_RESPONSIBILITIES", "label": "Caring responsibilities"}],
                    ),
                ],
                "development_plan": [
                    {
                        "id": record_data["action"].pk,
                        "description": "Shadow the matron on a night shift",
                        "action_type": {"code": "experience", "label": "Experience"},
                        "owner": {"code": "individual", "label": "The individual"},
                        "leadership_dimension": {"code": "ENGAGING_THE_TEAM", "label": "Engaging the team"},
                        "due_on": "2027-01-31",
                        "status": {"code": "in_progress", "label": "In progress"},
                        "progress_updates": [
                            {
                                "created_at": "2026-11-27T10:00:00+00:00",
                                "by": {"name": "Imani Okafor"},
                                "note": "Booked for December",
                                "status": {"code": "in_progress", "label": "In progress"},
                            }
                        ],
                    }
                ],
            }
        ],
        "talent_pools": [
            {
                "pool": "Aspiring ward leaders",
                "organisation": {"code": organisation.code, "label": organisation.name},
                "status": {"code": "nominated", "label": "Nominated"},
                "nominated_on": "2026-11-27",
                "nominated_by": {"name": "Morgan Hughes"},
                "reason": "Ready for a band 7 role",
            }
        ],
        "succession_plans": [
            {
                "critical_role": "Director of nursing",
                "organisation": {"code": organisation.code, "label": organisation.name},
                "readiness": {"code": "one_to_two_years", "label": "Ready in 1 to 2 years"},
                "added_on": "2026-11-27",
            }
        ],
        "equality_monitoring": {
            "ethnic_category": {"code": "N", "label": "Black or Black British - African"},
            "sex": {"code": "2", "label": "Female"},
            "gender_identity": {"code": "2", "label": "Female (including trans woman)"},
            "gender_same_as_birth": {"code": "Y", "label": "Yes"},
            "sexual_orientation": {"code": "1", "label": "Heterosexual or straight"},
            "religion_group": {"code": "C", "label": "Christian"},
            "disability": {"code": "N", "label": "No"},
            "age_band": {"code": "35_44", "label": "35 to 44"},
            "source": {"code": "self", "label": "Declared by the person"},
        },
        "notification_preferences": {"reminder_emails": False},
        "sharing": {"history_shared_with_new_managers": True},
    }


def ready_export(user) -> PortableExport:
    export = PortableExportFactory(user=user)
    portable_export_build(export_id=export.pk)
    export.refresh_from_db()
    return export


def download(client, export, kind):
    return client.get(reverse("conversations:export_download", kwargs={"pk": export.pk, "kind": kind}))


# The page and the request ---------------------------------------------------------------------


def test_export_page_explains_what_is_included(client, individual):
    client.force_login(individual)

    response = client.get(reverse("conversations:export"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Take your record with you</h1>" in content
    assert "to keep or to give to another NHS employer" in content
    assert "your equality monitoring answers" in content
    assert "It does not include the private notes your line manager or coach made" in content
    assert "You can download it for 7 days" in content
    assert "Create my export</button>" in content
    assert "You have not created an export yet." in content


def test_creating_an_export_end_to_end(
    client,
    django_capture_on_commit_callbacks,
    individual,
    line_manager,
    organisation,
    record_data,
    media_root,
):
    client.force_login(individual)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("conversations:export"))

    assert response.status_code == 302
    assert response["Location"] == reverse("conversations:export")
    export = PortableExport.objects.get()
    assert export.user == individual
    assert export.status == PortableExport.Status.READY
    assert export.created_at == NOW
    assert export.completed_at == NOW
    assert export.expires_at == NOW + datetime.timedelta(days=7)
    assert export.pdf_file.name == f"exports/{individual.pk}/scope-for-growth-export-2026-11-27.pdf"
    assert export.json_file.name == f"exports/{individual.pk}/scope-for-growth-export-2026-11-27.json"
    with export.json_file.open("rb") as json_file:
        document = json.loads(json_file.read().decode("utf-8"))
    assert document == expected_document(individual, line_manager, organisation, record_data)

    notification = Notification.objects.get()
    assert notification.recipient == individual
    assert notification.event_key == f"portable-export-ready:{export.pk}"
    assert notification.title == "Your record is ready to download"
    assert notification.url == "/growth/export/"
    assert list(AuditEvent.objects.order_by("id").values_list("actor", "verb", "object_id")) == [
        (individual.pk, "portable_export_request", str(export.pk)),
        (None, "portable_export_build", str(export.pk)),
    ]

    page = client.get(reverse("conversations:export")).content.decode()
    assert "Ready to download" in page
    assert f'href="/growth/export/{export.pk}/pdf/"' in page
    assert f'href="/growth/export/{export.pk}/json/"' in page
    assert "Available until 4 December 2026" in page

    pdf_response = download(client, export, "pdf")
    assert pdf_response.status_code == 200
    assert pdf_response["Content-Type"] == "application/pdf"
    assert (
        pdf_response["Content-Disposition"] == 'attachment; filename="scope-for-growth-export-2026-11-27.pdf"'
    )
    assert "no-store" in pdf_response["Cache-Control"]
    text = pdf_text(b"".join(pdf_response.streaming_content))
    for expected in [
        "Your Scope for Growth record: Imani Okafor",
        "Job title Senior staff nurse",
        "Record version 1",
        "Record version 2",
        "Current position Building impact, Depth",
        "Target position Established impact, Stretch and complexity",
        "Target position Established impact, Breadth",
        "Shadow the matron on a night shift",
        "Booked for December",
        "Your wellbeing notes (not shared) Finding the run of night shifts hard",
        "Aspiring ward leaders",
        "Ethnic category Black or Black British - African",
        "Reminder emails Off",
    ]:
        assert expected in text
    assert PREPARATION not in text
    assert "Someone else's notes" not in text

    json_response = download(client, export, "json")
    assert json_response["Content-Type"] == "application/json"
    assert json.loads(b"".join(json_response.streaming_content)) == document


def test_export_of_someone_without_a_staff_record(coach, frozen_time):
    export = ready_export(coach)

    with export.json_file.open("rb") as json_file:
        document = json.loads(json_file.read())
    assert document["employment"] is None
    assert document["conversations"] == []
    assert document["equality_monitoring"] is None
    assert document["notification_preferences"] == {"reminder_emails": True}


def test_asking_again_while_an_export_is_being_created_does_not_start_another(client, individual):
    pending = PortableExportFactory(user=individual)
    client.force_login(individual)

    response = client.post(reverse("conversations:export"))

    assert response.status_code == 302
    assert list(PortableExport.objects.all()) == [pending]
    assert not AuditEvent.objects.exists()


def test_an_export_stuck_for_over_an_hour_does_not_block_a_new_one(client, individual):
    PortableExportFactory(
        user=individual, created_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=2)
    )
    client.force_login(individual)

    client.post(reverse("conversations:export"))

    assert PortableExport.objects.filter(user=individual).count() == 2


def test_export_page_lists_only_your_own_exports(client, individual, stranger):
    mine = PortableExportFactory(user=individual)
    theirs = PortableExportFactory(user=stranger)
    client.force_login(individual)

    response = client.get(reverse("conversations:export"))

    assert list(response.context["exports"]) == [mine]
    assert f"/growth/export/{theirs.pk}/" not in response.content.decode()
    assert "Being created" in response.content.decode()


@pytest.mark.parametrize("export_count", [3, 20])
def test_export_page_query_count_does_not_grow(client, django_assert_num_queries, individual, export_count):
    for _ in range(export_count):
        PortableExportFactory(user=individual, status=PortableExport.Status.READY)
    client.force_login(individual)
    client.get(reverse("conversations:export"))

    with django_assert_num_queries(EXPORT_PAGE_QUERIES):
        response = client.get(reverse("conversations:export"))

    assert response.status_code == 200


# The task -------------------------------------------------------------------------------------


def test_running_the_task_twice_adds_no_files_or_notifications(
    django_capture_on_commit_callbacks, individual, frozen_time, media_root
):
    export = PortableExportFactory(user=individual)

    with django_capture_on_commit_callbacks(execute=True):
        build_portable_export_task.delay(export.pk)
    first_files = sorted(path.name for path in (media_root / "exports" / str(individual.pk)).iterdir())
    with django_capture_on_commit_callbacks(execute=True):
        build_portable_export_task.delay(export.pk)

    assert (
        sorted(path.name for path in (media_root / "exports" / str(individual.pk)).iterdir()) == first_files
    )
    assert first_files == [
        "scope-for-growth-export-2026-11-27.json",
        "scope-for-growth-export-2026-11-27.pdf",
    ]
    assert Notification.objects.filter(event_key=f"portable-export-ready:{export.pk}").count() == 1
    assert AuditEvent.objects.filter(verb="portable_export_build").count() == 1


def test_files_of_an_interrupted_build_are_replaced(individual, frozen_time, media_root):
    export = PortableExportFactory(user=individual)
    export.pdf_file.save("scope-for-growth-export-2026-11-27.pdf", ContentFile(b"half written"))

    portable_export_build(export_id=export.pk)

    export.refresh_from_db()
    assert sorted(path.name for path in (media_root / "exports" / str(individual.pk)).iterdir()) == [
        "scope-for-growth-export-2026-11-27.json",
        "scope-for-growth-export-2026-11-27.pdf",
    ]
    with export.pdf_file.open("rb") as pdf_file:
        assert pdf_file.read(5) == b"%PDF-"


def _break_rendering(monkeypatch) -> list:
    attempts = []

    def broken_render(*args, **kwargs):
        attempts.append(args[0])
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr("conversations.exports.render_pdf", broken_render)
    return attempts


def test_a_failed_build_in_process_is_marked_failed_at_once(client, monkeypatch, individual):
    attempts = _break_rendering(monkeypatch)
    export = PortableExportFactory(user=individual)

    with pytest.raises(RuntimeError, match="renderer crashed"):
        build_portable_export_task.delay(export.pk)

    export.refresh_from_db()
    assert export.status == PortableExport.Status.FAILED
    assert attempts == ["pdf/portable_export.html"]
    assert not export.pdf_file
    assert not Notification.objects.exists()
    assert AuditEvent.objects.get().verb == "portable_export_fail"
    client.force_login(individual)
    assert "Could not be created" in client.get(reverse("conversations:export")).content.decode()


def test_a_failed_build_on_a_worker_is_retried_with_back_off(monkeypatch, individual):
    _break_rendering(monkeypatch)
    retries = []

    def retry(**kwargs):
        retries.append(kwargs)
        return Retry(exc=kwargs["exc"], when=kwargs["countdown"])

    monkeypatch.setattr(build_portable_export_task, "retry", retry)
    export = PortableExportFactory(user=individual)

    with pytest.raises(Retry):
        build_portable_export_task(export.pk)

    assert len(retries) == 1
    assert str(retries[0]["exc"]) == "renderer crashed"
    assert 0 <= retries[0]["countdown"] <= 30
    export.refresh_from_db()
    assert export.status == PortableExport.Status.PENDING
    assert not AuditEvent.objects.exists()


def test_a_build_that_fails_its_last_retry_is_marked_failed(monkeypatch, individual):
    _break_rendering(monkeypatch)
    monkeypatch.setattr(build_portable_export_task, "max_retries", 0)
    export = PortableExportFactory(user=individual)

    with pytest.raises(RuntimeError, match="renderer crashed"):
        build_portable_export_task(export.pk)

    export.refresh_from_db()
    assert export.status == PortableExport.Status.FAILED


def test_a_request_whose_build_fails_still_answers_and_shows_the_failure(
    client, django_capture_on_commit_callbacks, monkeypatch, individual
):
    _break_rendering(monkeypatch)
    client.force_login(individual)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("conversations:export"))

    assert response.status_code == 302
    assert PortableExport.objects.get().status == PortableExport.Status.FAILED
    page = client.get(response["Location"]).content.decode()
    assert "We are creating your export." in page
    assert "Could not be created" in page


def test_expired_exports_have_their_files_deleted(individual, media_root):
    expired = ready_export(individual)
    PortableExport.objects.filter(pk=expired.pk).update(
        expires_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1)
    )
    current = ready_export(StaffProfileFactory().user)

    assert portable_exports_expired_delete() == 1

    expired.refresh_from_db()
    current.refresh_from_db()
    assert not expired.pdf_file
    assert not expired.json_file
    assert list((media_root / "exports" / str(individual.pk)).iterdir()) == []
    assert AuditEvent.objects.filter(verb="portable_export_files_delete").get().object_id == str(expired.pk)
    assert current.pdf_file.storage.exists(current.pdf_file.name)
    assert portable_exports_expired_delete() == 0


# Downloads ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["pdf", "json"])
@pytest.mark.parametrize(
    ("role", "expected_status"),
    [
        ("individual", 200),
        ("line_manager", 404),
        ("talent_lead_with_mfa", 404),
        ("system_administrator_with_mfa", 404),
        ("stranger", 404),
    ],
)
def test_only_the_owner_can_download(client, request, individual, line_manager, role, expected_status, kind):
    export = ready_export(individual)
    audit_count = AuditEvent.objects.count()
    client.force_login(request.getfixturevalue(role))

    response = download(client, export, kind)

    assert response.status_code == expected_status
    unchanged = PortableExport.objects.get(pk=export.pk)
    assert (unchanged.status, unchanged.pdf_file.name, unchanged.json_file.name) == (
        PortableExport.Status.READY,
        export.pdf_file.name,
        export.json_file.name,
    )
    assert AuditEvent.objects.count() == audit_count
    if expected_status == 200:
        with getattr(export, f"{kind}_file").open("rb") as stored:
            assert b"".join(response.streaming_content) == stored.read()


def test_an_expired_export_says_so(client, individual):
    export = ready_export(individual)
    PortableExport.objects.filter(pk=export.pk).update(
        expires_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)
    )
    client.force_login(individual)

    response = download(client, export, "pdf")

    assert response.status_code == 410
    content = response.content.decode()
    assert "<h1>This export has expired</h1>" in content
    assert 'href="/growth/export/"' in content


def test_someone_elses_expired_export_is_not_found(client, individual, stranger):
    export = PortableExportFactory(
        user=individual, expires_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    )
    client.force_login(stranger)

    assert download(client, export, "pdf").status_code == 404


@pytest.mark.parametrize("kind", ["zip", "PDF", "..%2Fsettings"])
def test_unknown_kinds_are_not_found(client, individual, kind):
    export = ready_export(individual)
    client.force_login(individual)

    assert client.get(f"/growth/export/{export.pk}/{kind}/").status_code == 404


def test_an_export_still_being_created_cannot_be_downloaded(client, individual):
    export = PortableExportFactory(user=individual)
    client.force_login(individual)

    assert download(client, export, "pdf").status_code == 404


def test_a_file_missing_from_storage_is_not_found(client, individual):
    export = ready_export(individual)
    export.pdf_file.storage.delete(export.pdf_file.name)
    client.force_login(individual)

    assert download(client, export, "pdf").status_code == 404


def test_export_files_are_not_served_from_media(client, individual):
    export = ready_export(individual)
    client.force_login(individual)

    assert client.get(f"/media/{export.pdf_file.name}").status_code == 404
    assert client.get(f"/{export.pdf_file.name}").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, individual):
    export = ready_export(individual)

    response = download(client, export, "pdf")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
