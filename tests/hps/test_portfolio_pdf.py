"""The participant's portfolio PDF: the whole journey, and coaching notes only where they chose."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from tests.hps.factories import (
    CoachingSessionFactory,
    DestinationFactory,
    FinalPanelFactory,
    KeyExperienceFactory,
    LearningLogEntryFactory,
    ParticipantFactory,
    SponsorMeetingFactory,
    UnderWayCohortFactory,
    WorkshopAttendanceFactory,
    WorkshopFactory,
)

LONDON = ZoneInfo("Europe/London")
NOW = datetime.datetime(2027, 9, 15, 10, 30, tzinfo=LONDON)
CHOSEN_NOTE = "We agreed I would shadow the chief operating officer"
PRIVATE_NOTE = "Talked about my worries over the restructure"


def pdf_text(content: bytes) -> str:
    """The text of a PDF, with runs of whitespace (line and cell breaks) made single spaces."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def participant(db):
    cohort = UnderWayCohortFactory(
        name="Staffordshire and Stoke-on-Trent March 2027", starts_on=datetime.date(2027, 3, 1)
    )
    participant = ParticipantFactory(
        cohort=cohort,
        user__first_name="Amara",
        user__last_name="Osei",
        career_development_plan__aspirations="Director of nursing within five years",
    )
    LearningLogEntryFactory(
        participant=participant,
        written_on=datetime.date(2027, 6, 3),
        text="Leading the bed meeting taught me to ask for the data first.",
    )
    KeyExperienceFactory(
        participant=participant,
        host_organisation="Staffordshire and Stoke-on-Trent ICB",
        starts_on=datetime.date(2027, 4, 1),
        reflection="I learnt how decisions are made across the system.",
    )
    SponsorMeetingFactory(participant=participant, held_on=datetime.date(2027, 5, 12), confirmed=True)
    WorkshopAttendanceFactory(
        participant=participant,
        workshop=WorkshopFactory(
            cohort=cohort, title="Leading inclusively", held_on=datetime.date(2027, 4, 20)
        ),
    )
    CoachingSessionFactory(
        participant=participant,
        held_on=datetime.date(2027, 4, 7),
        duration_minutes=90,
        notes=CHOSEN_NOTE,
        is_in_portfolio=True,
    )
    CoachingSessionFactory(
        participant=participant,
        held_on=datetime.date(2027, 7, 8),
        duration_minutes=120,
        notes=PRIVATE_NOTE,
        agreed_actions="Book a session with occupational health",
        is_in_portfolio=False,
    )
    FinalPanelFactory(participant=participant, held_on=datetime.date(2029, 1, 20))
    DestinationFactory(
        participant=participant,
        started_on=datetime.date(2027, 9, 1),
        job_title="Deputy chief nurse",
    )
    return participant


@pytest.fixture
def portfolio(client, participant):
    client.force_login(participant.user)
    return client.get(reverse("hps:scheme_portfolio"))


def test_the_portfolio_is_a_pdf_download(portfolio):
    assert portfolio.status_code == 200
    assert portfolio["Content-Type"] == "application/pdf"
    assert portfolio["Content-Disposition"] == (
        'attachment; filename="high-potential-scheme-portfolio-2027-09-15.pdf"'
    )
    assert portfolio.content.startswith(b"%PDF-")


def test_the_portfolio_holds_the_whole_journey(portfolio):
    text = pdf_text(portfolio.content)

    assert "High Potential Scheme portfolio: Amara Osei" in text
    assert "Staffordshire and Stoke-on-Trent March 2027" in text
    assert "1 March 2027 to 28 February 2029" in text
    assert "Director of nursing within five years" in text
    assert "Leading the bed meeting taught me to ask for the data first." in text
    assert "Project at Staffordshire and Stoke-on-Trent ICB" in text
    assert "I learnt how decisions are made across the system." in text
    assert "Leading inclusively, 20 April 2027 (core)" in text
    assert "12 May 2027 Yes" in text
    assert "Panel on 20 January 2029: Scheduled" in text
    assert "Deputy chief nurse" in text


def test_coaching_notes_are_in_the_portfolio_only_when_the_participant_chose(portfolio):
    text = pdf_text(portfolio.content)

    assert "7 April 2027: 90 minutes" in text
    assert "8 July 2027: 120 minutes" in text
    assert CHOSEN_NOTE in text
    assert PRIVATE_NOTE not in text
    assert "Book a session with occupational health" not in text


def test_choosing_a_session_puts_its_notes_in_the_next_portfolio(client, participant):
    session = participant.coaching_sessions.get(is_in_portfolio=False)
    client.force_login(participant.user)

    client.post(
        reverse("hps:scheme_session_portfolio", kwargs={"pk": session.pk}), {"is_in_portfolio": "yes"}
    )
    text = pdf_text(client.get(reverse("hps:scheme_portfolio")).content)

    assert PRIVATE_NOTE in text
    assert "Book a session with occupational health" in text
