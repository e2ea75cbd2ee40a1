"""`manage.py seed_demo`: demo organisations, staff and one sign-in per role. Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import (
    DEFAULT_STAFF_COUNT,
    DEMO_PASSWORD,
    MissingReferenceDataError,
    SeedResult,
    seed_demo,
)
from conversations.demo import ConversationSeedResult, seed_conversation_history
from hps.demo import CohortSeedResult, seed_demo_cohort
from hps.demo_participants import ParticipantSeedResult, seed_demo_participants


class Command(BaseCommand):
    help = (
        "Create demo organisations in Staffordshire and Stoke-on-Trent and in Shropshire, Telford and "
        "Wrekin, their staff, a history of career conversations, and one sign-in for each role, then "
        "print the sign-ins. Running it again changes nothing. The sign-ins get the demo password only "
        "when DEBUG or DEMO_MODE is on."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--staff",
            type=int,
            metavar="N",
            default=DEFAULT_STAFF_COUNT,
            help=(
                f"How many staff to create across the organisations (default {DEFAULT_STAFF_COUNT}). "
                "Demo staff from an earlier, larger run are kept."
            ),
        )

    def handle(self, *args, staff, **options):
        with_demo_password = bool(settings.DEBUG or settings.DEMO_MODE)
        try:
            result = seed_demo(staff_count=staff, with_demo_password=with_demo_password)
            # After the people, so that the history follows the current line-management structure.
            history = seed_conversation_history()
            intake = seed_demo_cohort()
            under_way = seed_demo_participants()
        except (ValueError, MissingReferenceDataError) as error:
            raise CommandError(str(error)) from error
        self._report(result, history, intake, under_way)

    def _report(
        self,
        result: SeedResult,
        history: ConversationSeedResult,
        intake: CohortSeedResult,
        under_way: ParticipantSeedResult,
    ) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {result.organisation_count} organisations, {result.staff_count} staff "
                f"({result.equality_profile_count} with equality monitoring answers). "
                f"People created: {result.created_user_count}, updated: {result.updated_user_count}."
            )
        )
        self.stdout.write(
            f"Career conversation history: {history.conversation_count} conversations "
            f"({history.record_count} record versions, {history.action_count} development actions) "
            f"created for {history.people_count} people; {history.skipped_people_count} people "
            "left as they were because they already have conversations."
        )
        cohort = intake.cohort
        self.stdout.write(
            f"High Potential Scheme: '{cohort.name}' is open for applications until "
            f"{cohort.closes_on:%-d %B %Y}" + (" (created)." if intake.is_created else ".")
        )
        self.stdout.write(
            f"High Potential Scheme: '{under_way.cohort.name}' started on "
            f"{under_way.cohort.starts_on:%-d %B %Y} with {under_way.participant_count} participants"
            + (" (created)." if under_way.is_created else ".")
        )
        password = DEMO_PASSWORD if result.has_demo_password else "(none: cannot sign in)"
        rows = [
            (
                sign_in.role_label + (" *" if sign_in.email in result.needs_authenticator_app else ""),
                sign_in.email,
                password,
            )
            for sign_in in result.sign_ins
        ]
        headings = ("Role", "Email", "Password")
        widths = [max(len(row[column]) for row in [headings, *rows]) for column in range(len(headings))]
        self.stdout.write("\nDemo sign-ins")
        for row in [headings, *rows]:
            self.stdout.write(
                "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            )
        self.stdout.write(
            "\n* Talent leads and administrators will be asked to set up an authenticator app "
            "the first time they sign in."
        )
        if not result.has_demo_password:
            self.stdout.write(
                self.style.WARNING(
                    "The demo sign-ins have unusable passwords because DEBUG and DEMO_MODE are both off. "
                    "Set DEMO_MODE=true and run seed_demo again to sign in with them."
                )
            )
