import datetime
import io
import socket
import urllib.request

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from conversations.models import (
    BarrierType,
    Conversation,
    ConversationRecord,
    DevelopmentAction,
    LeadershipDimension,
)
from core.models import AuditEvent
from core.pdf import PdfResourceRefused, StaticFilesURLFetcher, html_to_pdf, render_pdf, static_file_for
from tests.accounts.factories import StaffProfileFactory
from tests.conversations.factories import (
    ActionProgressUpdateFactory,
    ConversationFactory,
    ConversationRecordFactory,
    DevelopmentActionFactory,
)

PREPARATION = "Ask about the band 7 vacancy on ward 12"
WELLBEING = "Finding the run of night shifts hard"
REFLECTION = "I would like to lead the morning huddle"


def pdf_text(content: bytes) -> str:
    """The text of a PDF, with runs of whitespace (line and cell breaks) made single spaces."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def conversation(individual, line_manager):
    profile = individual.staff_profile
    profile.job_title = "Senior staff nurse"
    profile.save()
    individual.last_name = "Okafor"
    individual.save()
    line_manager.last_name = "Hughes"
    line_manager.save()
    conversation = ConversationFactory(
        individual=individual,
        facilitator=line_manager,
        status=Conversation.Status.AWAITING_AGREEMENT,
        planned_for=datetime.date(2026, 11, 2),
        facilitator_preparation=PREPARATION,
        wellbeing_notes=WELLBEING,
        individual_reflection=REFLECTION,
    )
    record = ConversationRecordFactory(
        conversation=conversation,
        held_on=datetime.date(2026, 11, 3),
        barrier_notes="Two young children at home",
        organisation_support="Protected time for a leadership course",
        next_conversation_due=datetime.date(2027, 11, 3),
    )
    record.strength_dimensions.set([LeadershipDimension.objects.get(code="LEADING_WITH_CARE")])
    record.barriers.set([BarrierType.objects.get(code="CARING_RESPONSIBILITIES")])
    shadowing = DevelopmentActionFactory(
        conversation=conversation,
        description="Shadow the matron on a night shift",
        due_on=datetime.date(2027, 1, 31),
        status=DevelopmentAction.Status.IN_PROGRESS,
    )
    DevelopmentActionFactory(
        conversation=conversation,
        description="Complete the Mary Seacole programme",
        action_type=DevelopmentAction.ActionType.EDUCATION,
        owner=DevelopmentAction.Owner.ORGANISATION,
        due_on=datetime.date(2027, 6, 30),
    )
    ActionProgressUpdateFactory(
        action=shadowing,
        note="Booked for December",
        created_at=datetime.datetime(2026, 11, 10, 9, tzinfo=datetime.UTC),
    )
    ActionProgressUpdateFactory(
        action=shadowing,
        note="Shadowed two shifts so far",
        created_at=datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC),
    )
    return conversation


def download(client, user, conversation):
    client.force_login(user)
    return client.get(reverse("conversations:conversation_pdf", kwargs={"pk": conversation.pk}))


# The renderer and its URL fetcher -------------------------------------------------------------


def test_render_pdf_returns_a_pdf(conversation, individual):
    from conversations.exports import conversation_record_document

    document = conversation_record_document(conversation=conversation, reader=individual)

    content = render_pdf(
        "pdf/conversation_record.html",
        {"document": document, "generated_at": datetime.datetime(2026, 11, 27, 10, tzinfo=datetime.UTC)},
    )

    assert content.startswith(b"%PDF-")
    assert "Created by Scope for Growth on 27 November 2026 at 10:00." in pdf_text(content)


def test_fetcher_serves_files_from_the_static_directories():
    fetcher = StaticFilesURLFetcher()

    response = fetcher.fetch("https://static.invalid/static/css/print.css")

    assert response.read() == (settings.BASE_DIR / "static" / "css" / "print.css").read_bytes()
    assert response.content_type == "text/css"
    assert fetcher.refused == []


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/x.png",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://example.com/x.png",
        "https://static.invalid/media/exports/1/record.pdf",
        "https://static.invalid/static/../config/settings.py",
        "https://static.invalid/static/css/%2e%2e/%2e%2e/config/settings.py",
        "https://static.invalid/static/%2Fetc%2Fpasswd",
        "https://static.invalid/static/css/does-not-exist.css",
        "https://static.invalid.example.com/static/css/print.css",
        "http://static.invalid/static/css/print.css",
    ],
)
def test_fetcher_refuses_anything_but_a_static_file(url):
    fetcher = StaticFilesURLFetcher()

    with pytest.raises(PdfResourceRefused):
        fetcher.fetch(url)

    assert fetcher.refused == [url]


def test_static_file_for_resolves_absolute_and_relative_static_references():
    expected = settings.BASE_DIR / "static" / "css" / "print.css"

    assert static_file_for("https://static.invalid/static/css/print.css") == expected


def test_references_outside_static_are_not_fetched_and_the_pdf_still_renders(monkeypatch):
    connections = []
    monkeypatch.setattr(socket.socket, "connect", lambda *args: connections.append(args))
    monkeypatch.setattr(
        urllib.request.OpenerDirector, "open", lambda *args, **kwargs: connections.append(args)
    )
    fetcher = StaticFilesURLFetcher()
    html = (
        '<html lang="en-GB"><head><link rel="stylesheet" href="css/print.css">'
        '<link rel="stylesheet" href="file:///etc/passwd"></head><body><h1>Hello</h1>'
        '<img src="https://example.com/x.png" alt=""><img src="file:///etc/passwd" alt="">'
        '<img src="/static/../../etc/passwd" alt=""></body></html>'
    )

    content = html_to_pdf(html, url_fetcher=fetcher)

    assert content.startswith(b"%PDF-")
    assert fetcher.refused == [
        "file:///etc/passwd",
        "https://example.com/x.png",
        "file:///etc/passwd",
        "https://static.invalid/etc/passwd",
    ]
    assert connections == []
    text = pdf_text(content)
    assert "Hello" in text
    assert "root:" not in text


# The conversation record PDF ------------------------------------------------------------------


def test_record_pdf_holds_the_person_position_and_plan(client, conversation, individual):
    response = download(client, individual, conversation)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="scope-for-growth-record-2026-11-03.pdf"'
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    for expected in [
        "Career conversation record: Imani Okafor",
        "Job title Senior staff nurse",
        "Organisation Midlands Partnership University NHS Foundation Trust",
        "Facilitator Morgan Hughes (line manager)",
        "Date held 3 November 2026",
        "Agreement Awaiting agreement from Imani Okafor",
        "Strengths Calm under pressure; mentors new starters",
        "Healthcare Leadership Model dimensions Leading with care",
        "Depth: Some interest Breadth: Not a focus for now Stretch and complexity: Strong ambition",
        "Aspirations Lead a ward within two years",
        "Timeframe In 1 to 2 years",
        "Current position Building impact, Depth",
        "Target position Established impact, Stretch and complexity",
        "Readiness for a next step Ready within 1 to 2 years",
        "Barriers Caring responsibilities",
        "About the barriers Two young children at home",
        "How the organisation could help Protected time for a leadership course",
        "Next conversation due 3 November 2027",
        "Shadow the matron on a night shift Experience The individual 31 January 2027 In progress "
        "Shadowed two shifts so far",
        "Complete the Mary Seacole programme Education The organisation 30 June 2027 Not started None yet",
    ]:
        assert expected in text
    assert "Booked for December" not in text


def test_record_pdf_shows_the_latest_version(client, conversation, individual):
    ConversationRecordFactory(
        conversation=conversation,
        version=2,
        held_on=datetime.date(2026, 11, 3),
        target_growth_category="breadth",
        change_reason="Target changed after the disagreement",
    )

    text = pdf_text(download(client, individual, conversation).content)

    assert "Target position Established impact, Breadth" in text
    assert "What changed and why Target changed after the disagreement" in text
    assert "Stretch and complexity, " not in text


@pytest.mark.parametrize(
    ("response", "comment", "expected"),
    [
        ("agreed", "", "Agreement Agreed on 5 November 2026"),
        ("not_agreed", "My target should be breadth", "Agreement Not agreed"),
        ("pending", "", "Agreement Awaiting agreement from Imani Okafor"),
    ],
)
def test_record_pdf_shows_the_agreement(client, conversation, individual, response, comment, expected):
    ConversationRecord.objects.filter(conversation=conversation).update(
        individual_response=response,
        individual_comment=comment,
        individual_responded_at=(
            datetime.datetime(2026, 11, 5, 12, tzinfo=datetime.UTC) if response != "pending" else None
        ),
    )

    text = pdf_text(download(client, individual, conversation).content)

    assert expected in text
    if comment:
        assert f"Imani Okafor does not agree with this record: {comment}" in text


def test_record_pdf_of_a_conversation_with_nothing_recorded(client, individual, line_manager):
    conversation = ConversationFactory(
        individual=individual, facilitator=line_manager, planned_for=datetime.date(2026, 12, 1)
    )

    response = download(client, individual, conversation)

    assert response["Content-Disposition"] == 'attachment; filename="scope-for-growth-record-2026-12-01.pdf"'
    text = pdf_text(response.content)
    assert "Agreement Nothing has been recorded yet" in text
    assert "No development actions have been agreed." in text


def test_text_people_typed_is_printed_not_interpreted(client, conversation, individual):
    ConversationRecord.objects.filter(conversation=conversation).update(
        strengths='<img src="file:///etc/passwd"> <b>bold</b>'
    )

    text = pdf_text(download(client, individual, conversation).content)

    assert 'Strengths <img src="file:///etc/passwd"> <b>bold</b>' in text


@pytest.mark.parametrize(
    ("reader", "is_shared", "is_shown"),
    [
        ("individual", False, True),
        ("individual", True, True),
        ("line_manager", False, False),
        ("line_manager", True, True),
    ],
)
def test_wellbeing_notes_only_for_the_individual_or_when_shared(
    client, request, conversation, reader, is_shared, is_shown
):
    Conversation.objects.filter(pk=conversation.pk).update(is_wellbeing_notes_shared=is_shared)

    text = pdf_text(download(client, request.getfixturevalue(reader), conversation).content)

    assert (WELLBEING in text) is is_shown
    assert ("Wellbeing notes" in text) is is_shown


@pytest.mark.parametrize(
    ("reader", "is_shared", "is_shown"),
    [
        ("individual", False, True),
        ("line_manager", False, False),
        ("line_manager", True, True),
    ],
)
def test_reflection_only_for_the_individual_or_when_shared(
    client, request, conversation, reader, is_shared, is_shown
):
    Conversation.objects.filter(pk=conversation.pk).update(is_reflection_shared=is_shared)

    text = pdf_text(download(client, request.getfixturevalue(reader), conversation).content)

    assert (REFLECTION in text) is is_shown


@pytest.mark.parametrize("reader", ["individual", "line_manager"])
def test_preparation_notes_are_never_in_the_pdf(client, request, conversation, reader):
    text = pdf_text(download(client, request.getfixturevalue(reader), conversation).content)

    assert PREPARATION not in text
    assert "band 7 vacancy" not in text


@pytest.mark.parametrize(
    ("role", "expected_status", "expected_reads"),
    [
        ("individual", 200, 0),
        ("line_manager", 200, 1),
        ("coach", 404, 0),
        ("talent_lead_with_mfa", 404, 0),
        ("system_administrator_with_mfa", 404, 0),
        ("stranger", 404, 0),
    ],
)
def test_record_pdf_by_role(client, request, conversation, role, expected_status, expected_reads):
    user = request.getfixturevalue(role)

    response = download(client, user, conversation)

    assert response.status_code == expected_status
    reads = AuditEvent.objects.filter(action=AuditEvent.Action.READ)
    assert (
        list(reads.values_list("actor", "verb", "object_type", "object_id"))
        == [(user.pk, "conversation_pdf_download", "conversations.conversation", str(conversation.pk))]
        * expected_reads
    )
    assert AuditEvent.objects.count() == expected_reads


def test_previous_line_manager_cannot_download(client, conversation, individual, line_manager):
    new_manager = StaffProfileFactory(user__email="new.manager@nhs.test").user
    profile = individual.staff_profile
    profile.line_manager = new_manager
    profile.line_manager_since = datetime.date(2026, 11, 20)
    profile.save()

    assert download(client, line_manager, conversation).status_code == 404
    assert download(client, new_manager, conversation).status_code == 404
    assert not AuditEvent.objects.exists()


def test_record_pdf_only_answers_get(client, conversation, individual):
    client.force_login(individual)

    response = client.post(reverse("conversations:conversation_pdf", kwargs={"pk": conversation.pk}))

    assert response.status_code == 405
