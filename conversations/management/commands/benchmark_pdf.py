"""Time the conversation record PDF (DESIGN section 7 budget: under 0.5 s per PDF).

Builds a realistic record (six plan actions with progress) inside a transaction that is rolled
back, renders its PDF through the same service the download view uses, and prints the timings.
"""

import datetime
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Organisation, PayBand, StaffGroup, StaffProfile, User
from conversations.exports import conversation_pdf_download
from conversations.models import (
    ActionProgressUpdate,
    Ambition,
    AspirationTimeframe,
    Conversation,
    ConversationRecord,
    DevelopmentAction,
    FacilitatorRole,
    FrameworkVersion,
    GrowthCategory,
    Readiness,
)


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Render one conversation record PDF repeatedly and print the median and worst times."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, runs: int, **options):
        if runs < 1:
            raise CommandError("--runs must be at least 1")
        timings: list[float] = []
        try:
            with transaction.atomic():
                conversation = self._build_conversation()
                for _ in range(runs + 1):
                    started = time.perf_counter()
                    download = conversation_pdf_download(user=conversation.individual, pk=conversation.pk)
                    timings.append(time.perf_counter() - started)
                    if not download.content.startswith(b"%PDF"):
                        raise CommandError("The renderer did not produce a PDF")
                raise _Rollback
        except _Rollback:
            pass
        cold, warm = timings[0], timings[1:]
        self.stdout.write(
            f"conversation PDF: cold {cold:.3f}s; warm median {statistics.median(warm):.3f}s, "
            f"worst {max(warm):.3f}s over {len(warm)} runs (budget 0.5s)"
        )

    def _build_conversation(self) -> Conversation:
        organisation = Organisation.objects.first()
        version = FrameworkVersion.objects.in_force()
        if organisation is None or version is None:
            raise CommandError("Run migrate and seed_demo first: reference data is missing.")
        levels = list(version.impact_levels.order_by("order"))
        individual = User.objects.create_user(
            "benchmark.individual@demo.nhs.test", first_name="Bea", last_name="Mark"
        )
        manager = User.objects.create_user(
            "benchmark.manager@demo.nhs.test", first_name="Max", last_name="Manager"
        )
        StaffProfile.objects.create(
            user=individual,
            organisation=organisation,
            job_title="Senior staff nurse",
            pay_band=PayBand.objects.get(code="AFC6"),
            staff_group=StaffGroup.objects.get(code="NURSES"),
            line_manager=manager,
            line_manager_since=datetime.date(2024, 1, 1),
        )
        conversation = Conversation.objects.create(
            individual=individual,
            facilitator=manager,
            facilitator_role=FacilitatorRole.LINE_MANAGER,
            planned_for=datetime.date(2026, 10, 1),
            status=Conversation.Status.AGREED,
        )
        ConversationRecord.objects.create(
            conversation=conversation,
            version=1,
            held_on=datetime.date(2026, 10, 1),
            wellbeing_discussed=True,
            support_signposted=True,
            strengths="Calm in a crisis, teaches students well, trusted by families. " * 5,
            ambition_depth=Ambition.SOME,
            ambition_breadth=Ambition.NOT_NOW,
            ambition_stretch=Ambition.STRONG,
            aspirations="To lead a ward and later a directorate's nursing workforce. " * 5,
            aspiration_timeframe=AspirationTimeframe.ONE_TO_TWO_YEARS,
            framework_version=version,
            current_impact_level=levels[0],
            current_growth_category=GrowthCategory.DEPTH,
            target_impact_level=levels[-1],
            target_growth_category=GrowthCategory.STRETCH,
            readiness=Readiness.ONE_TO_TWO_YEARS,
            barrier_notes="Caring responsibilities limit evening study.",
            organisation_support="Protected study time and a secondment.",
            next_conversation_due=datetime.date(2027, 10, 1),
            recorded_by=manager,
            individual_response=ConversationRecord.Response.AGREED,
        )
        for number in range(1, 7):
            action = DevelopmentAction.objects.create(
                conversation=conversation,
                individual=individual,
                description=f"Development action {number}: shadow the matron and lead a quality project",
                action_type=DevelopmentAction.ActionType.EXPERIENCE,
                owner=DevelopmentAction.Owner.INDIVIDUAL,
                due_on=datetime.date(2027, number, 28),
            )
            ActionProgressUpdate.objects.create(
                action=action, note="Started and going well.", status=action.status, created_by=individual
            )
        return conversation
