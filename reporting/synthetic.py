"""Synthetic data at any scale, for benchmarking the talent dashboards (`manage.py generate_synthetic_data`).

DESIGN.md section 7 sets the reference scale: 1.5 million staff, 3 million conversations, 7 regions,
42 ICSs, 200+ organisations and 50 HPS cohorts. This module builds data of that shape at any size,
realistic enough for the dashboards to mean something:
- organisations of uneven size spread over the 42 ICSs; staff in an Agenda for Change pyramid, each
  managed by someone more senior in the same organisation; equality answers in the NHS England
  workforce mix, with some "prefer not to say" and "not known";
- about three years of Scope for Growth conversations with record versions, barriers and development
  actions, with coverage that differs by organisation; talent pools and succession plans;
- High Potential Scheme intakes whose applications move through the real state machine
  (`hps/workflow.py`), one `ApplicationTransition` per step, with participants and destinations;
- NHS Staff Survey scores that loosely follow each organisation's conversation coverage.

It builds in the disparities the dashboards exist to show: Black and minority ethnic (BME) and disabled
staff are less often rated "ready now", report barriers more often, and are shortlisted less often for
the High Potential Scheme.

Everything synthetic is marked so that a later run can find it: email addresses at
`synthetic.nhs.test`, organisation codes starting "ZZ" (no ODS code does) with names starting
"Synthetic ", and cohorts named "Synthetic HPS cohort ...". Reference data (regions, ICSs, bands, staff
groups, the framework and barrier types) is reused, never created.

Speed: rows are plain tuples with their ids worked out in advance, written with PostgreSQL's COPY
(batched INSERTs on other databases), in one transaction. No model is saved one at a time, no password
is hashed, no signal or audit event is sent: this is made-up data, not anything a person did. The same
seed on the same day gives the same data, whatever the batch size.
"""

import datetime
import itertools
import random
import time
from array import array
from bisect import bisect
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.demo.names import FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES
from accounts.models import (
    AgeBand,
    EqualityProfile,
    EthnicCategory,
    GenderIdentity,
    IntegratedCareSystem,
    Organisation,
    OrganisationType,
    PayBand,
    Region,
    ReligionGroup,
    Sex,
    SexualOrientation,
    StaffGroup,
    StaffProfile,
    User,
    YesNoNotStated,
)
from conversations.demo import (
    ACTIONS,
    ASPIRATIONS,
    BARRIER_NOTES,
    ORGANISATION_SUPPORT,
    PREPARATION_NOTES,
    REFLECTIONS,
    STRENGTHS,
)
from conversations.models import (
    Ambition,
    AspirationTimeframe,
    BarrierType,
    Conversation,
    ConversationRecord,
    CriticalRole,
    DevelopmentAction,
    FacilitatorRole,
    FrameworkVersion,
    GrowthCategory,
    LeadershipDimension,
    Readiness,
    Successor,
    TalentPool,
    TalentPoolMembership,
)
from conversations.services import default_next_conversation_due
from hps.demo import DEMO_TERMS_TEXT
from hps.demo_participants import STATEMENTS
from hps.models import (
    Application,
    ApplicationTransition,
    CareerDevelopmentPlan,
    Cohort,
    Destination,
    DevelopmentStream,
    Participant,
)
from hps.progress import add_months
from reporting.groups import WRES_ETHNIC_GROUPING, WresEthnicGroup
from reporting.models import SurveyResult, SurveyTheme

# --- Markers, scale and limits -----------------------------------------------------------------------

SYNTHETIC_EMAIL_DOMAIN = "synthetic.nhs.test"
ORGANISATION_CODE_PREFIX = "ZZ"
ORGANISATION_NAME_PREFIX = "Synthetic "
COHORT_NAME_PREFIX = "Synthetic HPS cohort "

REFERENCE_STAFF = 1_500_000
REFERENCE_ORGANISATIONS = 210
REFERENCE_COHORTS = 50

DEFAULT_STAFF = 2000
DEFAULT_SEED = 1
DEFAULT_BATCH_SIZE = 10_000
MINIMUM_STAFF = 10
MAXIMUM_STAFF = 10_000_000
MINIMUM_STAFF_PER_ORGANISATION = 10
MAXIMUM_ORGANISATIONS = 9999
MAXIMUM_CONVERSATIONS_PER_PERSON = 6
MAXIMUM_COHORTS = 500
MINIMUM_BATCH_SIZE = 100
MAXIMUM_BATCH_SIZE = 1_000_000

# Django never accepts a password whose stored hash starts with "!", so nobody can sign in as a
# synthetic person. One shared value: hashing a password per person would cost minutes at scale.
UNUSABLE_PASSWORD = f"{UNUSABLE_PASSWORD_PREFIX}synthetic-data"

#: The labels of the summary, in the order the rows are written.
TABLE_LABELS = (
    "Organisations",
    "Staff",
    "Staff profiles",
    "Equality profiles",
    "Conversations",
    "Conversation records",
    "Record barriers",
    "Development actions",
    "Talent pools",
    "Talent pool memberships",
    "Critical roles",
    "Successors",
    "HPS cohorts",
    "HPS cohort settings",
    "HPS applications",
    "HPS application status changes",
    "HPS participants",
    "HPS career development plans",
    "HPS destinations",
    "Staff Survey results",
)


class SyntheticDataError(Exception):
    """The options or the database do not allow the data to be made. Nothing was changed."""


# --- Options and result ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SyntheticOptions:
    """What to make. `None` means the default for the number of staff (see `resolved`)."""

    staff: int = DEFAULT_STAFF
    conversations: int | None = None
    organisations: int | None = None
    cohorts: int | None = None
    seed: int = DEFAULT_SEED
    batch_size: int = DEFAULT_BATCH_SIZE
    replace: bool = False
    # ICS codes to put every synthetic organisation in (the demo fills its talent lead's ICS); empty
    # spreads them over all 42.
    within_ics: tuple[str, ...] = ()

    def resolved(self) -> "SyntheticOptions":
        """The options with defaults filled in; raises SyntheticDataError for values out of range."""
        if not MINIMUM_STAFF <= self.staff <= MAXIMUM_STAFF:
            raise SyntheticDataError(
                f"Enter a number of staff between {MINIMUM_STAFF:,} and {MAXIMUM_STAFF:,}"
            )
        maximum_organisations = min(MAXIMUM_ORGANISATIONS, self.staff // MINIMUM_STAFF_PER_ORGANISATION)
        organisations = (
            default_organisations(self.staff) if self.organisations is None else self.organisations
        )
        if not 1 <= organisations <= maximum_organisations:
            raise SyntheticDataError(
                f"Enter a number of organisations between 1 and {maximum_organisations:,} "
                f"(each organisation needs at least {MINIMUM_STAFF_PER_ORGANISATION} staff)"
            )
        # Chief executives have no line manager, so nobody to hold a conversation with.
        maximum_conversations = MAXIMUM_CONVERSATIONS_PER_PERSON * (self.staff - organisations)
        conversations = 2 * self.staff if self.conversations is None else self.conversations
        if not 0 <= conversations <= maximum_conversations:
            raise SyntheticDataError(
                f"Enter a number of conversations between 0 and {maximum_conversations:,} (up to "
                f"{MAXIMUM_CONVERSATIONS_PER_PERSON} for each person who has a line manager)"
            )
        cohorts = default_cohorts(self.staff) if self.cohorts is None else self.cohorts
        if not 0 <= cohorts <= MAXIMUM_COHORTS:
            raise SyntheticDataError(f"Enter a number of HPS cohorts between 0 and {MAXIMUM_COHORTS}")
        if not MINIMUM_BATCH_SIZE <= self.batch_size <= MAXIMUM_BATCH_SIZE:
            raise SyntheticDataError(
                f"Enter a batch size between {MINIMUM_BATCH_SIZE:,} and {MAXIMUM_BATCH_SIZE:,}"
            )
        return replace(self, conversations=conversations, organisations=organisations, cohorts=cohorts)


def default_organisations(staff: int) -> int:
    """In proportion to the reference scale (210 for 1.5 million staff), at least 5 where staff allow."""
    scaled = round(REFERENCE_ORGANISATIONS * staff / REFERENCE_STAFF)
    return max(1, min(staff // MINIMUM_STAFF_PER_ORGANISATION, MAXIMUM_ORGANISATIONS, max(5, scaled)))


def default_cohorts(staff: int) -> int:
    """In proportion to the reference scale (50 for 1.5 million staff), at least 3 from 1,500 staff."""
    scaled = round(REFERENCE_COHORTS * staff / REFERENCE_STAFF)
    return min(MAXIMUM_COHORTS, max(1, min(3, staff // 500), scaled))


@dataclass(frozen=True)
class SyntheticResult:
    options: SyntheticOptions
    #: Rows written, by table label, in the order of TABLE_LABELS.
    counts: dict[str, int]
    #: Rows of earlier synthetic data deleted first (with --replace), by table.
    deleted: dict[str, int]
    seconds: float
    delete_seconds: float

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def rows_per_second(self) -> float:
        generate_seconds = self.seconds - self.delete_seconds
        return self.rows / generate_seconds if generate_seconds > 0 else 0.0


Progress = Callable[[str], None]


def _silent(_message: str) -> None:
    return None


# --- Finding and deleting synthetic data --------------------------------------------------------------


def synthetic_users() -> models.QuerySet:
    return User.objects.filter(email__endswith=f"@{SYNTHETIC_EMAIL_DOMAIN}")


def synthetic_organisations() -> models.QuerySet:
    return Organisation.objects.filter(
        code__startswith=ORGANISATION_CODE_PREFIX, name__startswith=ORGANISATION_NAME_PREFIX
    )


def synthetic_cohorts() -> models.QuerySet:
    return Cohort.objects.filter(name__startswith=COHORT_NAME_PREFIX)


def existing_synthetic_data() -> dict[str, int]:
    """How many synthetic people, organisations and cohorts are in the database."""
    return {
        "staff": synthetic_users().count(),
        "organisations": synthetic_organisations().count(),
        "HPS cohorts": synthetic_cohorts().count(),
    }


def delete_synthetic_data() -> dict[str, int]:
    """Delete every synthetic row and what depends on it; return the rows deleted by table.

    Set-based: one DELETE per table with a subquery, never loading rows, because Django's cascading
    delete would load millions of objects. It follows each foreign key's `on_delete` as Django would
    (cascade, set null), so rows that are not synthetic but point at synthetic ones (an audit event
    about a synthetic person, say) are handled, and a protected reference from real data stops the
    deletion with a clear error. Rows that protect each other inside the synthetic data (participants
    and applications, pools and their organisations) are deleted in an order that respects that.
    """
    deleted: Counter[str] = Counter()
    cohorts = synthetic_cohorts()
    organisations = synthetic_organisations()
    users = synthetic_users()
    for queryset in (
        Participant.objects.filter(cohort__in=cohorts.values("pk")),
        Application.objects.filter(cohort__in=cohorts.values("pk")),
        cohorts,
        TalentPool.objects.filter(organisation__in=organisations.values("pk")),
        CriticalRole.objects.filter(organisation__in=organisations.values("pk")),
        Conversation.objects.filter(individual__in=users.values("pk")),
        users,
        organisations,
    ):
        _delete_cascading(queryset, deleted)
    return {label: count for label, count in deleted.items() if count}


def _relations_to(model: type[models.Model]) -> list:
    """Every foreign key pointing at the model, including hidden ones (`related_name="+"`) and those
    of many-to-many link tables, which is what Django's own cascading delete follows."""
    return [
        field
        for field in model._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and (field.one_to_many or field.one_to_one)
    ]


def _delete_cascading(queryset: models.QuerySet, deleted: Counter) -> None:
    model = queryset.model
    relations = _relations_to(model)

    def referring(relation) -> models.QuerySet:
        target = relation.field.target_field.attname
        return relation.related_model._base_manager.filter(
            **{f"{relation.field.name}__in": queryset.values(target)}
        )

    # Cascades first, so that rows which go anyway are neither set to null nor counted as protecting.
    for relation in relations:
        if relation.on_delete is models.CASCADE:
            _delete_cascading(referring(relation), deleted)
    for relation in relations:
        if relation.on_delete is models.SET_NULL:
            referring(relation).update(**{relation.field.name: None})
        elif relation.on_delete in (models.PROTECT, models.RESTRICT) and referring(relation).exists():
            raise SyntheticDataError(
                "Synthetic data cannot be replaced: some "
                f"{relation.related_model._meta.verbose_name_plural} that are not synthetic refer to "
                f"synthetic {model._meta.verbose_name_plural}. Delete or change them first."
            )
    _raw_delete(queryset, deleted)


def _raw_delete(queryset: models.QuerySet, deleted: Counter) -> None:
    model = queryset.model
    subquery, params = queryset.order_by().values("pk").query.sql_with_params()
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        # Table and column names come from the models, quoted; the values are parameters.
        sql = f"DELETE FROM {table} WHERE {quote(model._meta.pk.column)} IN ({subquery})"  # noqa: S608
        cursor.execute(sql, params)
        deleted[str(model._meta.verbose_name_plural)] += max(cursor.rowcount, 0)


# --- Entry point -------------------------------------------------------------------------------------


def generate_synthetic_data(
    options: SyntheticOptions,
    *,
    today: datetime.date | None = None,
    progress: Progress = _silent,
) -> SyntheticResult:
    """Make the synthetic data in one transaction and return what was written.

    Raises SyntheticDataError, having changed nothing, for options out of range, missing reference data,
    or synthetic data already present without `replace`.
    """
    options = options.resolved()
    today = today or timezone.localdate()
    started = time.perf_counter()
    deleted: dict[str, int] = {}
    delete_seconds = 0.0
    with transaction.atomic():
        existing = existing_synthetic_data()
        if any(existing.values()) and not options.replace:
            found = ", ".join(f"{count:,} {label}" for label, count in existing.items() if count)
            raise SyntheticDataError(
                f"There is synthetic data in the database already ({found}). Run the command again "
                "with --replace to delete it and make new data."
            )
        with _foreign_keys_set_aside(progress):
            if any(existing.values()):
                progress("Deleting the earlier synthetic data")
                deleted = delete_synthetic_data()
                delete_seconds = time.perf_counter() - started
                progress(f"Deleted {sum(deleted.values()):,} rows in {delete_seconds:.1f} seconds")
            generator = _Generator(options, today=today, progress=progress)
            generator.run()
    if connection.vendor == "postgresql":
        progress("Updating the database's statistics")
        _analyse()
    counts = {label: generator.writer.counts[label] for label in TABLE_LABELS}
    return SyntheticResult(
        options=options,
        counts=counts,
        deleted=deleted,
        seconds=time.perf_counter() - started,
        delete_seconds=delete_seconds,
    )


def _touched_models() -> tuple[type[models.Model], ...]:
    """Every table the generator writes to or deletes from."""
    return (
        User,
        StaffProfile,
        EqualityProfile,
        Organisation,
        Conversation,
        ConversationRecord,
        ConversationRecord.barriers.through,
        DevelopmentAction,
        TalentPool,
        TalentPoolMembership,
        CriticalRole,
        Successor,
        Cohort,
        Cohort.integrated_care_systems.through,
        Cohort.eligible_pay_bands.through,
        Cohort.administrators.through,
        Application,
        ApplicationTransition,
        Participant,
        CareerDevelopmentPlan,
        Destination,
        SurveyResult,
    )


@contextmanager
def _foreign_keys_set_aside(progress: Progress) -> Iterator[None]:
    """On PostgreSQL, drop the foreign keys into and out of the tables written, and add them back after.

    PostgreSQL checks a foreign key row by row, locking each parent row; with millions of rows that is
    most of the run. Adding the keys back at the end checks every row at once, in one join per key (the
    approach in the PostgreSQL manual's "Populating a database"). It all happens in the caller's
    transaction: if anything fails, the keys are back as they were. Needs the tables' owner, and locks
    the tables until the commit, so run it on a database nobody else is using.
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in _touched_models()]
    with connection.cursor() as cursor:
        # Run any checks this transaction has queued, since a table with pending checks cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND (conrelid = ANY(%s::text[]::regclass[]) "
            "OR confrelid = ANY(%s::text[]::regclass[])) ORDER BY 1, 2",
            [tables, tables],
        )
        constraints = cursor.fetchall()
        quote = connection.ops.quote_name
        for table, name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
    yield
    progress(f"Checking {len(constraints)} foreign keys")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table, name, definition in constraints:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
        # Back to checking at the commit, as Django makes its foreign keys.
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    progress(f"Checked the foreign keys in {time.perf_counter() - started:.1f} seconds")


def _analyse() -> None:
    """Refresh the planner's statistics: after millions of new rows the old ones mislead it."""
    tables = {model._meta.db_table for model in _touched_models()}
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


# --- Writing rows ------------------------------------------------------------------------------------


class _Writer:
    """Inserts rows, given as tuples in the order of `fields`: COPY on PostgreSQL, executemany elsewhere.

    Not `bulk_create`: it would stamp every `created_at` with the time of the run, and the history
    needs them in the past. The values go through each field's own preparation on other databases,
    as `bulk_create` does.
    """

    def __init__(self, batch_size: int):
        self.batch_size = batch_size
        self.is_postgresql = connection.vendor == "postgresql"
        self.counts: Counter[str] = Counter()

    def insert(
        self, label: str, model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]
    ) -> int:
        model_fields = [model._meta.get_field(name) for name in fields]
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(field.column) for field in model_fields)
        written = 0
        with connection.cursor() as cursor:
            if self.is_postgresql:
                from psycopg.types.json import Jsonb

                json_positions = [
                    index for index, field in enumerate(model_fields) if isinstance(field, models.JSONField)
                ]
                for batch in itertools.batched(rows, self.batch_size, strict=False):
                    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        write_row = copy.write_row
                        if json_positions:
                            for row in batch:
                                row = list(row)
                                for index in json_positions:
                                    row[index] = Jsonb(row[index])
                                write_row(row)
                        else:
                            for row in batch:
                                write_row(row)
                    written += len(batch)
            else:
                placeholders = ", ".join(["%s"] * len(model_fields))
                sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from models
                for batch in itertools.batched(rows, self.batch_size, strict=False):
                    cursor.executemany(
                        sql,
                        [
                            tuple(
                                field.get_db_prep_save(value, connection)
                                for field, value in zip(model_fields, row, strict=True)
                            )
                            for row in batch
                        ],
                    )
                    written += len(batch)
        self.counts[label] += written
        return written

    @staticmethod
    def next_id(model: type[models.Model]) -> int:
        """The first id after every existing row, for rows whose ids are worked out in advance."""
        return (model._base_manager.aggregate(top=Max("pk"))["top"] or 0) + 1

    def reset_sequences(self, *model_classes: type[models.Model]) -> None:
        """Move PostgreSQL's id sequences past ids given explicitly (SQLite does this by itself)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(model_classes))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


# --- Random draws ------------------------------------------------------------------------------------


class _Random(random.Random):
    """`random.Random` with quicker uniform draws: `randint` and `choice` cost several times more, and
    the generator makes hundreds of millions of draws at the reference scale."""

    def between(self, low: int, high: int) -> int:
        """A whole number from `low` to `high`, both included."""
        return low + int(self.random() * (high - low + 1))

    def one_of(self, items: Sequence):
        return items[int(self.random() * len(items))]


class _Weighted:
    """A weighted choice with precomputed cumulative weights: one `random()` and a bisect a draw."""

    __slots__ = ("cumulative", "total", "values")

    def __init__(self, weights: dict):
        self.values = tuple(str(value) if isinstance(value, str) else value for value in weights)
        self.cumulative = list(itertools.accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def pick(self, random_value: Callable[[], float]):
        return self.values[bisect(self.cumulative, random_value() * self.total)]


def _allocate(total: int, *, minimum: int, weights: Sequence[float]) -> list[int]:
    """Split `total` by weight, each part at least `minimum` (largest remainder, first wins ties)."""
    spare = total - minimum * len(weights)
    weight_total = sum(weights)
    exact = [spare * weight / weight_total for weight in weights]
    shares = [int(share) for share in exact]
    leftover = spare - sum(shares)
    by_remainder = sorted(range(len(weights)), key=lambda index: (-(exact[index] - shares[index]), index))
    for index in by_remainder[:leftover]:
        shares[index] += 1
    return [minimum + share for share in shares]


# --- Workforce tables --------------------------------------------------------------------------------

# (pay band code, seniority level, level of their line manager). Levels: 0 support, 1 practitioner,
# 2 team leader, 3 manager or consultant, 4 senior manager, 5 director, 6 chief executive.
BANDS = (
    ("AFC1", 0, 2),
    ("AFC2", 0, 2),
    ("AFC3", 0, 2),
    ("AFC4", 0, 2),
    ("AFC5", 1, 2),
    ("AFC6", 1, 2),
    ("AFC7", 2, 3),
    ("AFC8A", 3, 4),
    ("AFC8B", 3, 4),
    ("AFC8C", 4, 5),
    ("AFC8D", 4, 5),
    ("AFC9", 5, 6),
    ("VSM", 5, 6),
    ("MED_RESIDENT", 1, 3),
    ("MED_SAS", 2, 3),
    ("MED_CONSULTANT", 3, 4),
    ("LA", 1, 2),
    ("OTHER", 0, 2),
)
BAND_INDEX = {code: index for index, (code, _level, _manager_level) in enumerate(BANDS)}
CHIEF_EXECUTIVE_LEVEL = 6
HPS_BAND_CODES = ("AFC8A", "AFC8B", "AFC8C", "AFC8D")
NEXT_BAND = {"AFC8A": "AFC8B", "AFC8B": "AFC8C", "AFC8C": "AFC8D", "AFC8D": "AFC9"}

# (staff group code, share of the workforce, share of the group in each band), roughly the NHS
# workforce statistics for England: most staff in bands 2 to 6, a few per cent in 8a and above.
STAFF_GROUPS = (
    (
        "NURSES",
        25,
        {"AFC4": 1, "AFC5": 42, "AFC6": 32, "AFC7": 17, "AFC8A": 5, "AFC8B": 2, "AFC8C": 0.8, "AFC8D": 0.3},
    ),
    ("MIDWIVES", 1.8, {"AFC5": 25, "AFC6": 50, "AFC7": 18, "AFC8A": 5, "AFC8B": 1.5, "AFC8C": 0.5}),
    ("DOCTORS", 10, {"MED_RESIDENT": 50, "MED_CONSULTANT": 38, "MED_SAS": 12}),
    ("AMBULANCE", 1.5, {"AFC4": 10, "AFC5": 30, "AFC6": 45, "AFC7": 11, "AFC8A": 3, "AFC8B": 1}),
    (
        "STT",
        14,
        {
            "AFC3": 3,
            "AFC4": 5,
            "AFC5": 18,
            "AFC6": 30,
            "AFC7": 28,
            "AFC8A": 11,
            "AFC8B": 3.5,
            "AFC8C": 1,
            "AFC8D": 0.5,
        },
    ),
    ("SUPPORT_DNM", 21, {"AFC1": 0.5, "AFC2": 45, "AFC3": 40, "AFC4": 14.5}),
    ("SUPPORT_AMBULANCE", 1.3, {"AFC2": 10, "AFC3": 50, "AFC4": 40}),
    ("SUPPORT_STT", 5, {"AFC2": 25, "AFC3": 45, "AFC4": 30}),
    (
        "CENTRAL",
        10,
        {
            "AFC2": 12,
            "AFC3": 25,
            "AFC4": 22,
            "AFC5": 14,
            "AFC6": 10,
            "AFC7": 8,
            "AFC8A": 5,
            "AFC8B": 2.5,
            "AFC8C": 1,
            "AFC8D": 0.4,
            "LA": 0.1,
        },
    ),
    (
        "ESTATES",
        5,
        {"AFC1": 1, "AFC2": 60, "AFC3": 18, "AFC4": 10, "AFC5": 5, "AFC6": 3, "AFC7": 2, "AFC8A": 1},
    ),
    ("MANAGERS", 2.8, {"AFC7": 25, "AFC8A": 35, "AFC8B": 22, "AFC8C": 11, "AFC8D": 6, "AFC9": 1}),
    ("SENIOR_MANAGERS", 1.2, {"AFC8C": 20, "AFC8D": 35, "AFC9": 35, "VSM": 10}),
    ("OTHER", 1.4, {"OTHER": 50, "AFC3": 20, "AFC5": 15, "LA": 15}),
)
STAFF_GROUP_INDEX = {code: index for index, (code, _share, _bands) in enumerate(STAFF_GROUPS)}
CHIEF_EXECUTIVE_TITLE = "Chief executive"
JOB_TITLES = {
    "NURSES": {
        "AFC4": "Nursing associate",
        "AFC5": "Staff nurse",
        "AFC6": "Senior staff nurse",
        "AFC7": "Ward manager",
        "AFC8A": "Matron",
        "AFC8B": "Lead nurse",
        "AFC8C": "Head of nursing",
        "AFC8D": "Deputy director of nursing",
    },
    "MIDWIVES": {
        "AFC5": "Midwife",
        "AFC6": "Midwife",
        "AFC7": "Midwifery team leader",
        "AFC8A": "Maternity matron",
        "AFC8B": "Consultant midwife",
        "AFC8C": "Head of midwifery",
    },
    "DOCTORS": {
        "MED_RESIDENT": "Resident doctor",
        "MED_SAS": "Specialty doctor",
        "MED_CONSULTANT": "Consultant",
    },
    "AMBULANCE": {
        "AFC4": "Emergency medical technician",
        "AFC5": "Paramedic",
        "AFC6": "Paramedic",
        "AFC7": "Advanced paramedic",
        "AFC8A": "Clinical team manager",
        "AFC8B": "Operations manager",
    },
    "STT": {
        "AFC3": "Therapy assistant",
        "AFC4": "Assistant practitioner",
        "AFC5": "Physiotherapist",
        "AFC6": "Specialist physiotherapist",
        "AFC7": "Clinical scientist",
        "AFC8A": "Principal pharmacist",
        "AFC8B": "Consultant clinical scientist",
        "AFC8C": "Head of therapies",
        "AFC8D": "Chief pharmacist",
    },
    "SUPPORT_DNM": {
        "AFC1": "Healthcare support worker",
        "AFC2": "Healthcare assistant",
        "AFC3": "Senior healthcare assistant",
        "AFC4": "Assistant practitioner",
    },
    "SUPPORT_AMBULANCE": {
        "AFC2": "Call handler",
        "AFC3": "Emergency care assistant",
        "AFC4": "Emergency medical dispatcher",
    },
    "SUPPORT_STT": {
        "AFC2": "Pharmacy assistant",
        "AFC3": "Therapy support worker",
        "AFC4": "Pharmacy technician",
    },
    "CENTRAL": {
        "AFC2": "Administrative assistant",
        "AFC3": "Medical secretary",
        "AFC4": "Team administrator",
        "AFC5": "Finance officer",
        "AFC6": "HR adviser",
        "AFC7": "HR business partner",
        "AFC8A": "Finance manager",
        "AFC8B": "Head of information",
        "AFC8C": "Associate director of finance",
        "AFC8D": "Deputy director of workforce",
        "LA": "Local authority officer",
    },
    "ESTATES": {
        "AFC1": "Domestic assistant",
        "AFC2": "Porter",
        "AFC3": "Catering supervisor",
        "AFC4": "Estates technician",
        "AFC5": "Estates officer",
        "AFC6": "Facilities supervisor",
        "AFC7": "Estates manager",
        "AFC8A": "Head of facilities",
    },
    "MANAGERS": {
        "AFC7": "Service manager",
        "AFC8A": "General manager",
        "AFC8B": "Directorate manager",
        "AFC8C": "Associate director of operations",
        "AFC8D": "Deputy director of operations",
        "AFC9": "Director of operations",
    },
    "SENIOR_MANAGERS": {
        "AFC8C": "Associate director",
        "AFC8D": "Deputy director",
        "AFC9": "Director",
        "VSM": "Executive director",
    },
    "OTHER": {
        "OTHER": "Support worker",
        "AFC3": "Support worker",
        "AFC5": "Practitioner",
        "LA": "Social worker",
    },
}

# (type code, name before the number, share of organisations, relative size). Trusts employ most staff.
ORGANISATION_TYPES = (
    ("NHS_FT", "Synthetic NHS Foundation Trust", 45, 1.0),
    ("NHS_TRUST", "Synthetic NHS Trust", 35, 1.0),
    ("ICB", "Synthetic Integrated Care Board", 8, 0.12),
    ("PRIMARY_CARE", "Synthetic Primary Care Network", 4, 0.05),
    ("LOCAL_AUTHORITY", "Synthetic Council", 3, 0.2),
    ("SOCIAL_CARE", "Synthetic Care Services", 2, 0.1),
    ("INDEPENDENT", "Synthetic Independent Healthcare", 2, 0.15),
    ("VCSE", "Synthetic Community Interest Company", 1, 0.05),
)

# --- Equality monitoring (NHS England workforce mix; about 26% BME, 77% women) ---------------------------

ETHNIC_CATEGORY_WEIGHTS = {
    EthnicCategory.WHITE_BRITISH: 60,
    EthnicCategory.WHITE_IRISH: 1,
    EthnicCategory.WHITE_OTHER: 7.5,
    EthnicCategory.MIXED_WHITE_BLACK_CARIBBEAN: 0.8,
    EthnicCategory.MIXED_WHITE_BLACK_AFRICAN: 0.5,
    EthnicCategory.MIXED_WHITE_ASIAN: 0.5,
    EthnicCategory.MIXED_OTHER: 0.9,
    EthnicCategory.ASIAN_INDIAN: 6.5,
    EthnicCategory.ASIAN_PAKISTANI: 2.2,
    EthnicCategory.ASIAN_BANGLADESHI: 0.7,
    EthnicCategory.ASIAN_OTHER: 3.0,
    EthnicCategory.BLACK_CARIBBEAN: 1.3,
    EthnicCategory.BLACK_AFRICAN: 6.0,
    EthnicCategory.BLACK_OTHER: 0.6,
    EthnicCategory.CHINESE: 0.6,
    EthnicCategory.OTHER: 2.4,
    EthnicCategory.NOT_STATED: 3.5,
    EthnicCategory.NOT_KNOWN: 2.0,
}
BME_CODES = frozenset(WRES_ETHNIC_GROUPING.codes_in(WresEthnicGroup.BME))
DISABILITY_WEIGHTS = {
    YesNoNotStated.YES: 5,
    YesNoNotStated.NO: 75,
    YesNoNotStated.NOT_STATED: 14,
    YesNoNotStated.NOT_KNOWN: 6,
}
SHARE_WITH_EQUALITY_PROFILE = 0.95
SHARE_FEMALE = 0.77
SEXUAL_ORIENTATION_WEIGHTS = {
    SexualOrientation.HETEROSEXUAL: 85,
    SexualOrientation.GAY_OR_LESBIAN: 2.2,
    SexualOrientation.BISEXUAL: 1.8,
    SexualOrientation.OTHER: 0.4,
    SexualOrientation.UNSURE: 0.6,
    SexualOrientation.NOT_STATED: 8,
    SexualOrientation.NOT_KNOWN: 2,
}
# Religion follows ethnic background loosely: by White, Indian, Pakistani or Bangladeshi, and the rest.
RELIGION_WEIGHTS_BY_BACKGROUND = {
    "white": {
        ReligionGroup.CHRISTIAN: 47,
        ReligionGroup.NONE: 36,
        ReligionGroup.OTHER: 2.5,
        ReligionGroup.BUDDHIST: 0.4,
        ReligionGroup.JEWISH: 0.5,
        ReligionGroup.PAGAN: 0.3,
        ReligionGroup.MUSLIM: 0.3,
        ReligionGroup.NOT_STATED: 11,
        ReligionGroup.NOT_KNOWN: 2,
    },
    "indian": {
        ReligionGroup.HINDU: 45,
        ReligionGroup.SIKH: 16,
        ReligionGroup.MUSLIM: 12,
        ReligionGroup.CHRISTIAN: 10,
        ReligionGroup.JAIN: 1,
        ReligionGroup.NONE: 4,
        ReligionGroup.NOT_STATED: 10,
        ReligionGroup.NOT_KNOWN: 2,
    },
    "pakistani_bangladeshi": {
        ReligionGroup.MUSLIM: 85,
        ReligionGroup.NONE: 2,
        ReligionGroup.OTHER: 1,
        ReligionGroup.NOT_STATED: 10,
        ReligionGroup.NOT_KNOWN: 2,
    },
    "other": {
        ReligionGroup.CHRISTIAN: 50,
        ReligionGroup.MUSLIM: 9,
        ReligionGroup.NONE: 15,
        ReligionGroup.BUDDHIST: 3,
        ReligionGroup.HINDU: 2,
        ReligionGroup.OTHER: 3,
        ReligionGroup.BAHAI: 0.2,
        ReligionGroup.ZOROASTRIAN: 0.1,
        ReligionGroup.NOT_STATED: 15,
        ReligionGroup.NOT_KNOWN: 2.7,
    },
}
BACKGROUND_OF_ETHNIC_CATEGORY = {
    EthnicCategory.WHITE_BRITISH: "white",
    EthnicCategory.WHITE_IRISH: "white",
    EthnicCategory.WHITE_OTHER: "white",
    EthnicCategory.ASIAN_INDIAN: "indian",
    EthnicCategory.ASIAN_PAKISTANI: "pakistani_bangladeshi",
    EthnicCategory.ASIAN_BANGLADESHI: "pakistani_bangladeshi",
}
# Younger people in the junior bands, older in the senior ones (by seniority level).
AGE_BAND_WEIGHTS_BY_LEVEL = {
    "junior": {
        AgeBand.UNDER_25: 12,
        AgeBand.FROM_25_TO_34: 30,
        AgeBand.FROM_35_TO_44: 22,
        AgeBand.FROM_45_TO_54: 18,
        AgeBand.FROM_55_TO_64: 14,
        AgeBand.OVER_65: 2.5,
        AgeBand.NOT_STATED: 1,
        AgeBand.NOT_KNOWN: 0.5,
    },
    "team_leader": {
        AgeBand.UNDER_25: 1,
        AgeBand.FROM_25_TO_34: 24,
        AgeBand.FROM_35_TO_44: 33,
        AgeBand.FROM_45_TO_54: 26,
        AgeBand.FROM_55_TO_64: 14,
        AgeBand.OVER_65: 1,
        AgeBand.NOT_STATED: 1,
    },
    "manager": {
        AgeBand.FROM_25_TO_34: 8,
        AgeBand.FROM_35_TO_44: 34,
        AgeBand.FROM_45_TO_54: 36,
        AgeBand.FROM_55_TO_64: 19,
        AgeBand.OVER_65: 1.5,
        AgeBand.NOT_STATED: 1.5,
    },
    "director": {
        AgeBand.FROM_35_TO_44: 15,
        AgeBand.FROM_45_TO_54: 48,
        AgeBand.FROM_55_TO_64: 33,
        AgeBand.OVER_65: 2,
        AgeBand.NOT_STATED: 2,
    },
}
AGE_GROUP_OF_LEVEL = ("junior", "junior", "team_leader", "manager", "manager", "director", "director")
SOURCE_WEIGHTS = {EqualityProfile.Source.ESR: 70, EqualityProfile.Source.SELF: 30}

# Bits of the per-person flags that drive the built-in disparities.
FEMALE, BME, DISABLED, HAS_PROFILE = 1, 2, 4, 8

# --- Conversations -----------------------------------------------------------------------------------

AGREED = Conversation.Status.AGREED.value
AWAITING_AGREEMENT = Conversation.Status.AWAITING_AGREEMENT.value
NOT_AGREED = Conversation.Status.NOT_AGREED.value
PLANNED = Conversation.Status.PLANNED.value
CANCELLED = Conversation.Status.CANCELLED.value
# How the latest conversation of a person stands (weights), and any earlier one.
LATEST_STATUS_WEIGHTS = {AGREED: 77, PLANNED: 12, AWAITING_AGREEMENT: 5, NOT_AGREED: 3, CANCELLED: 3}
EARLIER_STATUS_WEIGHTS = {AGREED: 94.5, CANCELLED: 4, NOT_AGREED: 1.5}
SHARE_AMENDED = 0.12
SHARE_WITH_COACH = 0.05
# The window of the history: about three years back from today.
HISTORY_DAYS = 1130

READINESS_CODES = (
    Readiness.READY_NOW.value,
    Readiness.ONE_TO_TWO_YEARS.value,
    Readiness.THREE_PLUS_YEARS.value,
    Readiness.DEVELOPING_IN_ROLE.value,
)
READY_NOW, READY_ONE_TO_TWO_YEARS, READY_LATER, DEVELOPING_IN_ROLE = range(4)
BASE_READINESS_WEIGHTS = (16, 34, 20, 30)
# Relative chance of being rated "ready now", as the WRES and WDES find: well outside four-fifths.
READY_NOW_FACTOR_BME = 0.68
READY_NOW_FACTOR_DISABLED = 0.75
TIMEFRAMES_BY_READINESS = (
    (AspirationTimeframe.NOW.value, AspirationTimeframe.WITHIN_12_MONTHS.value),
    (AspirationTimeframe.WITHIN_12_MONTHS.value, AspirationTimeframe.ONE_TO_TWO_YEARS.value),
    (AspirationTimeframe.THREE_PLUS_YEARS.value,),
    (AspirationTimeframe.ONE_TO_TWO_YEARS.value, AspirationTimeframe.THREE_PLUS_YEARS.value),
)
# How many barriers people report (0 to 3), by (BME, disabled).
BARRIER_COUNT_WEIGHTS = {
    (False, False): (46, 34, 15, 5),
    (True, False): (36, 36, 20, 8),
    (False, True): (30, 36, 24, 10),
    (True, True): (24, 36, 28, 12),
}
BARRIER_TYPE_WEIGHTS = {
    "WORKLOAD_TIME": 30,
    "CARING_RESPONSIBILITIES": 12,
    "HEALTH_OR_DISABILITY": 5,
    "ACCESS_TO_DEVELOPMENT": 14,
    "FUNDING": 12,
    "CONFIDENCE": 12,
    "PERCEIVED_BIAS_OR_DISCRIMINATION": 3,
    "LOCATION_OR_FLEXIBILITY": 8,
    "LACK_OF_OPPORTUNITIES": 12,
    "OTHER": 2,
}
# Barrier types added by an administrator later get this weight.
OTHER_BARRIER_TYPE_WEIGHT = 3
BARRIER_FACTORS = {
    BME: {"PERCEIVED_BIAS_OR_DISCRIMINATION": 4, "ACCESS_TO_DEVELOPMENT": 1.6, "LACK_OF_OPPORTUNITIES": 1.3},
    DISABLED: {
        "HEALTH_OR_DISABILITY": 6,
        "LOCATION_OR_FLEXIBILITY": 2,
        "PERCEIVED_BIAS_OR_DISCRIMINATION": 2,
    },
    FEMALE: {"CARING_RESPONSIBILITIES": 1.8},
}
AMBITION_WEIGHTS = {Ambition.NOT_NOW.value: 25, Ambition.SOME.value: 45, Ambition.STRONG.value: 30}
AMBITION_RANK = {Ambition.NOT_NOW.value: 0, Ambition.SOME.value: 1, Ambition.STRONG.value: 2}
GROWTH_CATEGORIES = (GrowthCategory.DEPTH.value, GrowthCategory.BREADTH.value, GrowthCategory.STRETCH.value)
CURRENT_GROWTH_WEIGHTS = {
    GrowthCategory.DEPTH.value: 60,
    GrowthCategory.BREADTH.value: 25,
    GrowthCategory.STRETCH.value: 15,
}
# Chance of each current impact level (lowest first) by seniority level.
IMPACT_LEVEL_WEIGHTS_BY_LEVEL = ((5, 4, 1), (5, 4, 1), (3, 5, 2), (2, 4, 4), (1, 4, 5), (1, 3, 6), (1, 3, 6))
AMENDMENTS = (
    (
        "The record does not mention that I have acted up as team leader since the spring.",
        "Added the acting-up experience, as we discussed.",
    ),
    (
        "I think I will be ready for a next step sooner than the record says.",
        "Changed the readiness after we talked it through again.",
    ),
    (
        "The record leaves out the rota problems I raised, which stop me getting to study days.",
        "Added the rota pressures to the barriers.",
    ),
)
NOT_AGREED_COMMENTS = (
    "I do not agree with the readiness recorded: I have been acting up for six months.",
    "The barriers I raised about study leave are not in the record.",
    "I would like my aspirations written as I said them, not as a stay-in-role plan.",
)
WELLBEING_NOTES = (
    "Feeling stretched with the rota changes; would like to talk about flexible working.",
    "Back from leave and feeling well.",
    "Finding it hard to switch off after late shifts.",
)
ACTION_COUNT_WEIGHTS = {0: 15, 1: 30, 2: 35, 3: 20}
ACTION_TYPES = tuple(str(action_type) for action_type in ACTIONS)
ACTION_OWNER_WEIGHTS = {
    DevelopmentAction.Owner.INDIVIDUAL.value: 70,
    DevelopmentAction.Owner.FACILITATOR.value: 15,
    DevelopmentAction.Owner.ORGANISATION.value: 15,
}
ACTION_DONE, ACTION_DROPPED = DevelopmentAction.Status.DONE.value, DevelopmentAction.Status.DROPPED.value
ACTION_IN_PROGRESS = DevelopmentAction.Status.IN_PROGRESS.value
ACTION_NOT_STARTED = DevelopmentAction.Status.NOT_STARTED.value
PAST_ACTION_STATUS_WEIGHTS = {ACTION_DONE: 75, ACTION_DROPPED: 10, ACTION_IN_PROGRESS: 15}
FUTURE_ACTION_STATUS_WEIGHTS = {ACTION_IN_PROGRESS: 55, ACTION_NOT_STARTED: 45}

# --- Talent pools and succession -----------------------------------------------------------------------

# (name, description, seniority levels it takes people from)
TALENT_POOLS = (
    ("Aspiring team leaders", "People in bands 2 to 6 who want to lead a team.", frozenset({0, 1})),
    ("Emerging leaders", "Team leaders getting ready to manage a service.", frozenset({2})),
    (
        "Future senior leaders",
        "Managers and consultants with the potential for senior and board roles.",
        frozenset({3, 4}),
    ),
)
SHARE_OF_CANDIDATES_NOMINATED = 0.08
MEMBERSHIP_STATUS_WEIGHTS = {
    TalentPoolMembership.Status.NOMINATED.value: 20,
    TalentPoolMembership.Status.ACCEPTED.value: 58,
    TalentPoolMembership.Status.DECLINED.value: 9,
    TalentPoolMembership.Status.LEFT.value: 13,
}
NOMINATION_REASONS = (
    "Rated ready within 1 to 2 years and keen to lead a team.",
    "Strong ambition for stretch; agreed in their Scope for Growth conversation.",
    "Has acted up successfully and wants to progress.",
    "",
)
CRITICAL_ROLE_TITLES = (
    "Director of nursing",
    "Chief finance officer",
    "Chief operating officer",
    "Medical director",
    "Director of workforce",
    "Director of estates and facilities",
    "Head of midwifery",
    "Clinical director, surgery",
    "Clinical director, medicine",
    "Associate director of operations, urgent care",
    "Head of pharmacy",
    "Head of information governance",
    "Deputy director of finance",
    "Head of therapies",
    "Head of patient safety",
    "Divisional director, women and children",
    "Head of digital services",
    "Associate director of nursing, mental health",
    "Head of procurement",
    "Director of strategy",
)
SUCCESSOR_COUNT_WEIGHTS = {0: 10, 1: 20, 2: 25, 3: 22, 4: 13, 5: 10}
SUCCESSOR_READINESS = (
    Readiness.READY_NOW.value,
    Readiness.ONE_TO_TWO_YEARS.value,
    Readiness.THREE_PLUS_YEARS.value,
)

# --- High Potential Scheme -----------------------------------------------------------------------------

Status = Application.Status
SHARE_OF_ELIGIBLE_APPLYING = 0.08
MINIMUM_APPLICATIONS = 12
SHORTLIST_CHANCE = 0.30
# Relative chance of being shortlisted after assessment: the disparity the funnel should show.
SHORTLIST_FACTOR_BME = 0.65
SHORTLIST_FACTOR_DISABLED = 0.8
COHORT_SPAN_DAYS = 1600
APPLICATION_WINDOW_DAYS = 42
DAYS_FROM_CLOSE_TO_START = 100
INELIGIBLE_REASONS = (
    "The role described is not in a middle leadership band for this intake.",
    "The applicant does not work in the intake's area.",
)
UNSUCCESSFUL_REASONS = (
    "The assessment did not show the leadership potential this intake is looking for.",
    "Other applicants scored higher at assessment.",
)
NOT_OFFERED_REASONS = ("More shortlisted applicants than places; ranked below the offer line.",)
DECLINE_REASONS = ("Told the programme team by phone that the timing does not work this year.",)
ASSESSMENT_RESULTS = ("Strong potential", "Potential shown", "Potential shown", "Not yet shown")
DESTINATION_TITLES = {
    "AFC8B": "Head of service",
    "AFC8C": "Associate director",
    "AFC8D": "Deputy director",
    "AFC9": "Director",
}
LATERAL_TITLES = ("Programme director (secondment)", "Head of transformation", "Service director")
PARTICIPANT_REASONS = {
    Participant.Status.PAUSED.value: "Paused for a period of leave; returns next quarter.",
    Participant.Status.WITHDRAWN.value: "Withdrew to take up a new role outside the scheme's area.",
}

# --- Staff Survey --------------------------------------------------------------------------------------

SURVEY_YEARS = 3
# People Promise theme score (0 to 10): NHS organisations mostly score 5 to 7.5.
ALWAYS_LEARNING_RANGE = (5.0, 7.5)
# Share of staff who do not often think about leaving, as a percentage.
INTENTION_TO_STAY_RANGE = (40.0, 75.0)


# --- The generator -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Reference:
    # (ICS id, region id), interleaved by region so that the first organisations land in different regions.
    integrated_care_systems: tuple[tuple[int, int], ...]
    # (region id, name), by region code.
    regions: tuple[tuple[int, str], ...]
    organisation_types: dict[str, int]
    pay_bands: dict[str, int]
    staff_groups: dict[str, int]
    # (effective from as an ordinal, version id, impact level ids lowest first), oldest first.
    frameworks: tuple[tuple[int, int, tuple[int, ...]], ...]
    barrier_types: tuple[tuple[int, str], ...]
    leadership_dimensions: tuple[int, ...]


def _load_reference(within_ics: tuple[str, ...] = ()) -> _Reference:
    missing = []
    current = IntegratedCareSystem.objects.current()
    if within_ics:
        unknown = sorted(
            set(within_ics) - set(current.filter(code__in=within_ics).values_list("code", flat=True))
        )
        if unknown:
            raise SyntheticDataError(f"There is no current ICS with the code {', '.join(unknown)}")
        current = current.filter(code__in=within_ics)
    systems = list(current.order_by("region__code", "code").values_list("pk", "region_id"))
    if not systems:
        missing.append("integrated care systems")
    by_region: dict[int, list[tuple[int, int]]] = {}
    for ics_id, region_id in systems:
        by_region.setdefault(region_id, []).append((ics_id, region_id))
    interleaved = [
        ics for row in itertools.zip_longest(*by_region.values()) for ics in row if ics is not None
    ]
    regions = tuple(Region.objects.filter(pk__in=by_region).order_by("code").values_list("pk", "name"))

    def by_code(model, codes) -> dict[str, int]:
        found = dict(model.objects.filter(code__in=codes).values_list("code", "pk"))
        if absent := sorted(set(codes) - found.keys()):
            missing.append(f"{model._meta.verbose_name_plural} {', '.join(absent)}")
        return found

    organisation_types = by_code(OrganisationType, [code for code, *_rest in ORGANISATION_TYPES])
    pay_bands = by_code(PayBand, [code for code, *_rest in BANDS])
    staff_groups = by_code(StaffGroup, [code for code, *_rest in STAFF_GROUPS])
    frameworks = []
    for version in FrameworkVersion.objects.prefetch_related("impact_levels").order_by("effective_from"):
        levels = tuple(
            level.pk for level in sorted(version.impact_levels.all(), key=lambda level: level.order)
        )
        if levels:
            frameworks.append((version.effective_from.toordinal(), version.pk, levels))
    if not frameworks:
        missing.append("a Scope for Growth framework version with impact levels")
    barrier_types = tuple(
        BarrierType.objects.filter(is_active=True).order_by("order", "code").values_list("pk", "code")
    )
    if not barrier_types:
        missing.append("barrier types")
    if missing:
        raise SyntheticDataError(
            f"Reference data is missing ({'; '.join(missing)}). Run `python manage.py migrate` to load it, "
            "then run the command again."
        )
    return _Reference(
        integrated_care_systems=tuple(interleaved),
        regions=regions,
        organisation_types=organisation_types,
        pay_bands=pay_bands,
        staff_groups=staff_groups,
        frameworks=tuple(frameworks),
        barrier_types=barrier_types,
        leadership_dimensions=tuple(
            LeadershipDimension.objects.order_by("order", "code").values_list("pk", flat=True)
        ),
    )


def _email_part(name: str) -> str:
    return "".join(character for character in name.lower() if "a" <= character <= "z")


class _Generator:
    """Makes every synthetic row in order: organisations, staff, conversations, pools and succession,
    the High Potential Scheme and the Staff Survey.

    People are numbered 0 to staff - 1, in blocks by organisation (each block starts with its chief
    executive); their user ids are consecutive from the first free id, so any row can point at a person
    without a query. What later steps need about each person is kept in compact arrays.
    """

    def __init__(self, options: SyntheticOptions, *, today: datetime.date, progress: Progress):
        self.options = options
        self.progress = progress
        self.writer = _Writer(options.batch_size)
        self.today = today
        self.today_ordinal = today.toordinal()
        self.tz = timezone.get_current_timezone()
        # Everything made happened before today began, so the data is the same all day.
        self.now = datetime.datetime.combine(today, datetime.time(), tzinfo=self.tz)
        self._days: dict[int, tuple[int, int, int]] = {}

    def rng(self, name: str) -> _Random:
        """A generator of its own for each step, so that one step's draws never shift another's."""
        return _Random(f"{self.options.seed}:{name}")

    def at(self, ordinal: int, hour: int, minute: int = 0) -> datetime.datetime:
        """That day at that time, in the service's time zone."""
        day = self._days.get(ordinal)
        if day is None:
            day = self._days[ordinal] = datetime.date.fromordinal(ordinal).timetuple()[:3]
        return datetime.datetime(*day, hour, minute, tzinfo=self.tz)

    def run(self) -> None:
        self.reference = _load_reference(self.options.within_ics)
        steps = (
            ("organisations", self._organisations),
            ("staff", self._staff),
            ("conversations", self._conversations),
            ("talent pools", self._talent_pools),
            ("succession plans", self._succession),
            ("High Potential Scheme", self._hps),
            ("Staff Survey results", self._survey),
        )
        for name, step in steps:
            started = time.perf_counter()
            self.progress(f"Making {name}")
            step()
            self.progress(f"Made {name} in {time.perf_counter() - started:.1f} seconds")

    # Organisations ---------------------------------------------------------------------------------

    def _organisations(self) -> None:
        rng = self.rng("organisations")
        count = self.options.organisations
        codes = [f"{ORGANISATION_CODE_PREFIX}{number:04d}" for number in range(1, count + 1)]
        clashes = Organisation.objects.filter(code__in=codes).order_by("code").values_list("code", flat=True)
        if clashes:
            raise SyntheticDataError(
                f"Organisation codes {', '.join(clashes[:5])} are already used by organisations that are "
                "not synthetic. Change or delete them, or make fewer organisations."
            )
        organisation_type = _Weighted(
            {index: share for index, (_c, _n, share, _s) in enumerate(ORGANISATION_TYPES)}
        )
        systems = self.reference.integrated_care_systems
        self.organisation_base_id = self.writer.next_id(Organisation)
        self.organisation_names: list[str] = []
        self.organisation_region: list[int] = []
        # How well each organisation keeps up its conversations, 0.55 to 1: drives coverage and the survey.
        self.organisation_coverage: list[float] = []
        weights = []
        rows = []
        for index, code in enumerate(codes):
            # The first two are always trusts, so that even a small run has two large organisations.
            type_index = index if index < 2 else organisation_type.pick(rng.random)
            type_code, name_prefix, _share, size_factor = ORGANISATION_TYPES[type_index]
            ics_id, region_id = systems[index % len(systems)]
            name = f"{name_prefix} {index + 1}"
            rows.append(
                (
                    self.organisation_base_id + index,
                    code,
                    name,
                    self.reference.organisation_types[type_code],
                    ics_id,
                )
            )
            self.organisation_names.append(name)
            self.organisation_region.append(region_id)
            weights.append(size_factor * rng.lognormvariate(0, 0.6))
            self.organisation_coverage.append(rng.uniform(0.55, 1.0))
        self.organisation_sizes = _allocate(
            self.options.staff, minimum=MINIMUM_STAFF_PER_ORGANISATION, weights=weights
        )
        self.organisation_starts = [0, *itertools.accumulate(self.organisation_sizes)]
        self.writer.insert(
            "Organisations",
            Organisation,
            ("id", "code", "name", "organisation_type_id", "integrated_care_system_id"),
            rows,
        )
        self.writer.reset_sequences(Organisation)

    # Staff -----------------------------------------------------------------------------------------

    def _staff(self) -> None:
        rng = self.rng("staff")
        self.user_base_id = self.writer.next_id(User)
        self.organisation_of = array("H")
        self.band_of = array("B")
        self.level_of = array("B")
        self.group_of = array("B")
        self.flags = array("B")
        self.first_name_of = array("H")
        self.last_name_of = array("H")
        self.ethnic_category_of = array("B")
        self.disability_of = array("B")
        group_choice = _Weighted({index: share for index, (_code, share, _bands) in enumerate(STAFF_GROUPS)})
        band_choice = [
            _Weighted({BAND_INDEX[code]: weight for code, weight in bands.items()})
            for _c, _s, bands in STAFF_GROUPS
        ]
        ethnic_codes = tuple(str(code) for code in ETHNIC_CATEGORY_WEIGHTS)
        ethnic_choice = _Weighted(dict(enumerate(ETHNIC_CATEGORY_WEIGHTS.values())))
        disability_codes = tuple(str(code) for code in DISABILITY_WEIGHTS)
        disability_choice = _Weighted(dict(enumerate(DISABILITY_WEIGHTS.values())))
        self.ethnic_codes = ethnic_codes
        self.disability_codes = disability_codes
        random_value = rng.random
        chief_executive_band = BAND_INDEX["VSM"]
        senior_managers = STAFF_GROUP_INDEX["SENIOR_MANAGERS"]
        for organisation, size in enumerate(self.organisation_sizes):
            for position in range(size):
                if position == 0:
                    group, band, level = senior_managers, chief_executive_band, CHIEF_EXECUTIVE_LEVEL
                else:
                    group = group_choice.pick(random_value)
                    band = band_choice[group].pick(random_value)
                    level = BANDS[band][1]
                is_female = random_value() < SHARE_FEMALE
                ethnic = ethnic_choice.pick(random_value)
                disability = disability_choice.pick(random_value)
                has_profile = random_value() < SHARE_WITH_EQUALITY_PROFILE
                flags = FEMALE if is_female else 0
                if has_profile:
                    flags |= HAS_PROFILE
                    if ethnic_codes[ethnic] in BME_CODES:
                        flags |= BME
                    if disability_codes[disability] == YesNoNotStated.YES:
                        flags |= DISABLED
                first_names = FEMALE_FIRST_NAMES if is_female else MALE_FIRST_NAMES
                self.organisation_of.append(organisation)
                self.group_of.append(group)
                self.band_of.append(band)
                self.level_of.append(level)
                self.flags.append(flags)
                self.ethnic_category_of.append(ethnic)
                self.disability_of.append(disability)
                self.first_name_of.append(int(random_value() * len(first_names)))
                self.last_name_of.append(int(random_value() * len(LAST_NAMES)))
        self._assign_line_managers(self.rng("line managers"))
        self._write_staff()

    def first_name(self, person: int) -> str:
        names = FEMALE_FIRST_NAMES if self.flags[person] & FEMALE else MALE_FIRST_NAMES
        return names[self.first_name_of[person]]

    def full_name(self, person: int) -> str:
        return f"{self.first_name(person)} {LAST_NAMES[self.last_name_of[person]]}"

    def email(self, person: int) -> str:
        first = _email_part(self.first_name(person))
        last = _email_part(LAST_NAMES[self.last_name_of[person]])
        return f"{first}.{last}.{person + 1}@{SYNTHETIC_EMAIL_DOMAIN}"

    def _assign_line_managers(self, rng: _Random) -> None:
        """Each person reports to someone at the next level up in their organisation (the chief
        executive where there is nobody in between), spread evenly over the people at that level."""
        self.manager_of = array("i", [-1]) * self.options.staff
        # People at manager level and above, by organisation: the coaches and succession candidates.
        self.seniors: list[list[int]] = []
        for organisation, size in enumerate(self.organisation_sizes):
            start = self.organisation_starts[organisation]
            by_level: list[list[int]] = [[] for _ in range(CHIEF_EXECUTIVE_LEVEL + 1)]
            for person in range(start, start + size):
                by_level[self.level_of[person]].append(person)
            for level_people in by_level:
                rng.shuffle(level_people)
            # Round robin over each level's people in their shuffled order gives teams of even size.
            # A manager's level is always above the person's, so nobody manages themselves.
            for level_people in by_level[:CHIEF_EXECUTIVE_LEVEL]:
                for order, person in enumerate(level_people):
                    manager_level = BANDS[self.band_of[person]][2]
                    while manager_level < CHIEF_EXECUTIVE_LEVEL and not by_level[manager_level]:
                        manager_level += 1
                    managers = by_level[manager_level]
                    self.manager_of[person] = managers[order % len(managers)]
            self.seniors.append(
                sorted(person for level in range(3, CHIEF_EXECUTIVE_LEVEL + 1) for person in by_level[level])
            )

    def _write_staff(self) -> None:
        staff = self.options.staff
        base = self.user_base_id
        rng = self.rng("joined")
        # Everyone joined before the history starts, so all their conversations are with this employer.
        joined = [self.today_ordinal - HISTORY_DAYS - rng.between(30, 6000) for _ in range(staff)]
        self.joined_on = joined

        def users() -> Iterator[tuple]:
            for person in range(staff):
                yield (
                    base + person,
                    UNUSABLE_PASSWORD,
                    False,
                    self.first_name(person),
                    LAST_NAMES[self.last_name_of[person]],
                    False,
                    True,
                    self.at(joined[person], 9),
                    self.email(person),
                )

        self.writer.insert(
            "Staff",
            User,
            (
                "id",
                "password",
                "is_superuser",
                "first_name",
                "last_name",
                "is_staff",
                "is_active",
                "date_joined",
                "email",
            ),
            users(),
        )
        self.writer.reset_sequences(User)
        self.progress(f"  {staff:,} people")

        organisation_base = self.organisation_base_id
        band_ids = [self.reference.pay_bands[code] for code, _level, _manager in BANDS]
        group_ids = [self.reference.staff_groups[code] for code, _share, _bands in STAFF_GROUPS]
        titles = [
            [JOB_TITLES.get(group_code, {}).get(band_code) for band_code, _l, _m in BANDS]
            for group_code, _s, _b in STAFF_GROUPS
        ]
        fallback_titles = (
            "Support worker",
            "Practitioner",
            "Team leader",
            "Manager",
            "Senior manager",
            "Director",
        )
        since_rng = self.rng("line manager since")

        def profiles() -> Iterator[tuple]:
            for person in range(staff):
                created = self.at(joined[person], 9)
                manager = self.manager_of[person]
                band, group = self.band_of[person], self.group_of[person]
                if manager < 0:
                    title = CHIEF_EXECUTIVE_TITLE
                    since = None
                else:
                    title = titles[group][band] or fallback_titles[min(self.level_of[person], 5)]
                    # Before the history starts, so each manager sees all of their report's records.
                    last_day = self.today_ordinal - HISTORY_DAYS - 1
                    since = datetime.date.fromordinal(
                        joined[person] + since_rng.between(0, last_day - joined[person])
                    )
                yield (
                    created,
                    created,
                    base + person,
                    organisation_base + self.organisation_of[person],
                    title,
                    band_ids[band],
                    group_ids[group],
                    None if manager < 0 else base + manager,
                    since,
                    f"{80_000_000 + person}",
                    True,
                )

        self.writer.insert(
            "Staff profiles",
            StaffProfile,
            (
                "created_at",
                "updated_at",
                "user_id",
                "organisation_id",
                "job_title",
                "pay_band_id",
                "staff_group_id",
                "line_manager_id",
                "line_manager_since",
                "esr_assignment_number",
                "is_active",
            ),
            profiles(),
        )
        self.progress(f"  {staff:,} staff profiles")
        self._write_equality_profiles()

    def _write_equality_profiles(self) -> None:
        rng = self.rng("equality details")
        random_value = rng.random
        base = self.user_base_id
        orientation = _Weighted(SEXUAL_ORIENTATION_WEIGHTS)
        religion = {
            background: _Weighted(weights) for background, weights in RELIGION_WEIGHTS_BY_BACKGROUND.items()
        }
        age = {group: _Weighted(weights) for group, weights in AGE_BAND_WEIGHTS_BY_LEVEL.items()}
        source = _Weighted(SOURCE_WEIGHTS)
        sex_female = _Weighted({Sex.FEMALE: 98, Sex.NOT_SPECIFIED: 1.5, Sex.NOT_KNOWN: 0.5})
        sex_male = _Weighted({Sex.MALE: 98, Sex.NOT_SPECIFIED: 1.5, Sex.NOT_KNOWN: 0.5})
        identity_female = _Weighted(
            {
                GenderIdentity.FEMALE: 96.5,
                GenderIdentity.NON_BINARY: 0.6,
                GenderIdentity.OTHER: 0.2,
                GenderIdentity.NOT_STATED: 2.0,
                GenderIdentity.NOT_KNOWN: 0.7,
            }
        )
        identity_male = _Weighted(
            {
                GenderIdentity.MALE: 96.5,
                GenderIdentity.NON_BINARY: 0.6,
                GenderIdentity.OTHER: 0.2,
                GenderIdentity.NOT_STATED: 2.0,
                GenderIdentity.NOT_KNOWN: 0.7,
            }
        )
        identity_unknown = _Weighted({GenderIdentity.NOT_STATED: 70, GenderIdentity.NOT_KNOWN: 30})
        same_as_birth = _Weighted(
            {
                YesNoNotStated.YES: 93.5,
                YesNoNotStated.NO: 0.5,
                YesNoNotStated.NOT_STATED: 4.5,
                YesNoNotStated.NOT_KNOWN: 1.5,
            }
        )
        same_as_birth_different = _Weighted({YesNoNotStated.NO: 70, YesNoNotStated.NOT_STATED: 30})
        different_identities = {str(GenderIdentity.NON_BINARY), str(GenderIdentity.OTHER)}
        known_sexes = {str(Sex.FEMALE), str(Sex.MALE)}
        ethnic_codes, disability_codes = self.ethnic_codes, self.disability_codes

        def rows() -> Iterator[tuple]:
            for person in range(self.options.staff):
                flags = self.flags[person]
                if not flags & HAS_PROFILE:
                    continue
                ethnic = ethnic_codes[self.ethnic_category_of[person]]
                sex = (sex_female if flags & FEMALE else sex_male).pick(random_value)
                if sex in known_sexes:
                    identity = (identity_female if flags & FEMALE else identity_male).pick(random_value)
                else:
                    identity = identity_unknown.pick(random_value)
                same = (same_as_birth_different if identity in different_identities else same_as_birth).pick(
                    random_value
                )
                background = BACKGROUND_OF_ETHNIC_CATEGORY.get(ethnic, "other")
                created = self.at(self.joined_on[person] + 1, 10)
                yield (
                    created,
                    created,
                    base + person,
                    ethnic,
                    sex,
                    identity,
                    same,
                    orientation.pick(random_value),
                    religion[background].pick(random_value),
                    disability_codes[self.disability_of[person]],
                    age[AGE_GROUP_OF_LEVEL[self.level_of[person]]].pick(random_value),
                    source.pick(random_value),
                )

        written = self.writer.insert(
            "Equality profiles",
            EqualityProfile,
            (
                "created_at",
                "updated_at",
                "user_id",
                "ethnic_category",
                "sex",
                "gender_identity",
                "gender_same_as_birth",
                "sexual_orientation",
                "religion_group",
                "disability",
                "age_band",
                "source",
            ),
            rows(),
        )
        self.progress(f"  {written:,} equality profiles")

    # Conversations ---------------------------------------------------------------------------------

    def _conversation_counts(self) -> array:
        """How many conversations each person has had, adding up to exactly the number asked for.

        Most people with a line manager have one to three; the share with none differs by organisation.
        """
        rng = self.rng("conversation counts")
        random_value = rng.random
        staff, target = self.options.staff, self.options.conversations
        counts = array("B", bytes(staff))
        if target == 0:
            return counts
        eligible = staff - self.options.organisations
        mean = target / eligible
        never = [0.03 + 0.35 * (1 - coverage) for coverage in self.organisation_coverage]
        average_never = sum(never[self.organisation_of[person]] for person in range(staff)) / staff
        if mean < 1 - average_never:
            # Fewer conversations than people who usually have one: more people have none.
            never = [1 - (1 - share) * mean / (1 - average_never) for share in never]
            extra_chance = 0.0
        else:
            extra_chance = min(1.0, (mean / (1 - average_never) - 1) / (MAXIMUM_CONVERSATIONS_PER_PERSON - 1))
        total = 0
        for person in range(staff):
            if self.manager_of[person] < 0 or random_value() < never[self.organisation_of[person]]:
                continue
            count = 1
            for _ in range(MAXIMUM_CONVERSATIONS_PER_PERSON - 1):
                if random_value() < extra_chance:
                    count += 1
            counts[person] = count
            total += count
        while total < target:
            person = rng.randrange(staff)
            if self.manager_of[person] >= 0 and counts[person] < MAXIMUM_CONVERSATIONS_PER_PERSON:
                counts[person] += 1
                total += 1
        while total > target:
            person = rng.randrange(staff)
            if counts[person]:
                counts[person] -= 1
                total -= 1
        return counts

    def _conversations(self) -> None:
        counts = self._conversation_counts()
        staff = self.options.staff
        builder = _ConversationBuilder(self)
        # What later steps need: each person's latest held conversation, its readiness and date.
        self.latest_conversation = array("q", bytes(8 * staff))
        self.latest_readiness = array("b", [-1]) * staff
        self.latest_held = array("i", bytes(4 * staff))
        through = ConversationRecord.barriers.through
        barrier_fields = (
            f"{ConversationRecord.barriers.field.m2m_field_name()}_id",
            f"{ConversationRecord.barriers.field.m2m_reverse_field_name()}_id",
        )
        done = 0
        for start in range(0, staff, self.options.batch_size):
            end = min(staff, start + self.options.batch_size)
            for person in range(start, end):
                if counts[person]:
                    builder.person(person, counts[person])
            self.writer.insert(
                "Conversations", Conversation, _ConversationBuilder.CONVERSATION_FIELDS, builder.conversations
            )
            self.writer.insert(
                "Conversation records",
                ConversationRecord,
                _ConversationBuilder.RECORD_FIELDS,
                builder.records,
            )
            self.writer.insert("Record barriers", through, barrier_fields, builder.barriers)
            self.writer.insert(
                "Development actions", DevelopmentAction, _ConversationBuilder.ACTION_FIELDS, builder.actions
            )
            done += len(builder.conversations)
            builder.clear()
            self.progress(
                f"  {done:,} of {self.options.conversations:,} conversations ({end:,} of {staff:,} people)"
            )
        self.writer.reset_sequences(Conversation, ConversationRecord)

    # Talent pools ----------------------------------------------------------------------------------

    def _talent_pools(self) -> None:
        rng = self.rng("talent pools")
        random_value = rng.random
        base = self.user_base_id
        pool_id = self.writer.next_id(TalentPool)
        membership_id = self.writer.next_id(TalentPoolMembership)
        status = _Weighted(MEMBERSHIP_STATUS_WEIGHTS)
        earliest = self.today_ordinal - 730
        pools, memberships = [], []
        # Each person's membership in their organisation's pools, for naming successors from them.
        self.membership_of: dict[int, int] = {}
        for organisation, size in enumerate(self.organisation_sizes):
            start = self.organisation_starts[organisation]
            chief_executive = base + start
            pool_count = 1 if size < 50 else 2 if size < 200 else len(TALENT_POOLS)
            candidates_by_pool: list[list[int]] = [[] for _ in range(pool_count)]
            for person in range(start + 1, start + size):
                if self.latest_readiness[person] not in (READY_NOW, READY_ONE_TO_TWO_YEARS):
                    continue
                if self.latest_held[person] < earliest:
                    continue
                for index in range(pool_count):
                    if self.level_of[person] in TALENT_POOLS[index][2]:
                        candidates_by_pool[index].append(person)
            for index in range(pool_count):
                name, description, _levels = TALENT_POOLS[index]
                created = self.at(self.today_ordinal - rng.between(740, 900), 10)
                pools.append(
                    (
                        pool_id,
                        created,
                        created,
                        name,
                        description,
                        self.organisation_base_id + organisation,
                        random_value() < 0.9,
                        chief_executive,
                    )
                )
                candidates = candidates_by_pool[index]
                chosen = rng.sample(
                    candidates, min(len(candidates), round(len(candidates) * SHARE_OF_CANDIDATES_NOMINATED))
                )
                for person in sorted(chosen):
                    held = self.latest_held[person]
                    day = min(max(held + rng.between(3, 90), earliest), self.today_ordinal - 1)
                    nominated = self.at(day, rng.between(9, 16), rng.one_of((0, 15, 30, 45)))
                    member_status = status.pick(random_value)
                    changed = nominated
                    if member_status != TalentPoolMembership.Status.NOMINATED:
                        changed = self.at(min(day + rng.between(1, 300), self.today_ordinal - 1), 14)
                    memberships.append(
                        (
                            membership_id,
                            nominated,
                            max(nominated, changed),
                            pool_id,
                            base + person,
                            base + self.manager_of[person],
                            self.latest_conversation[person],
                            rng.one_of(NOMINATION_REASONS),
                            member_status,
                        )
                    )
                    self.membership_of.setdefault(person, membership_id)
                    membership_id += 1
                pool_id += 1
        self.writer.insert(
            "Talent pools",
            TalentPool,
            (
                "id",
                "created_at",
                "updated_at",
                "name",
                "description",
                "organisation_id",
                "is_open",
                "created_by_id",
            ),
            pools,
        )
        self.writer.insert(
            "Talent pool memberships",
            TalentPoolMembership,
            (
                "id",
                "created_at",
                "updated_at",
                "pool_id",
                "individual_id",
                "nominated_by_id",
                "source_conversation_id",
                "reason",
                "status",
            ),
            memberships,
        )
        self.writer.reset_sequences(TalentPool, TalentPoolMembership)

    # Succession ------------------------------------------------------------------------------------

    def _succession(self) -> None:
        rng = self.rng("succession")
        random_value = rng.random
        base = self.user_base_id
        role_id = self.writer.next_id(CriticalRole)
        successor_count = _Weighted(SUCCESSOR_COUNT_WEIGHTS)
        roles, successors = [], []
        for organisation, size in enumerate(self.organisation_sizes):
            start = self.organisation_starts[organisation]
            chief_executive = base + start
            seniors = self.seniors[organisation]
            incumbents = [person for person in seniors if self.level_of[person] >= 4]
            candidates = [person for person in seniors if self.level_of[person] <= 4] + [
                person for person in range(start + 1, start + size) if self.level_of[person] == 2
            ]
            # People rated ready are more often named, so readiness gaps show in the succession plans too.
            candidate_weights = list(
                itertools.accumulate(
                    3
                    if self.latest_readiness[person] == READY_NOW
                    else 2
                    if self.latest_readiness[person] == READY_ONE_TO_TWO_YEARS
                    else 1
                    for person in candidates
                )
            )
            role_count = max(1, min(len(CRITICAL_ROLE_TITLES), size // 600 + 2 if size >= 40 else 1))
            for title in rng.sample(CRITICAL_ROLE_TITLES, role_count):
                created_day = self.today_ordinal - rng.between(60, 700)
                created = self.at(created_day, 11)
                incumbent = rng.one_of(incumbents) if incumbents and random_value() < 0.9 else None
                roles.append(
                    (
                        role_id,
                        created,
                        created,
                        title,
                        self.organisation_base_id + organisation,
                        "",
                        None if incumbent is None else base + incumbent,
                        chief_executive,
                    )
                )
                wanted = min(successor_count.pick(random_value), len(candidates) - (incumbent in candidates))
                named: set[int] = set()
                while len(named) < wanted:
                    person = candidates[bisect(candidate_weights, random_value() * candidate_weights[-1])]
                    if person != incumbent:
                        named.add(person)
                for person in sorted(named):
                    readiness = self.latest_readiness[person]
                    draw = random_value()
                    if readiness == READY_NOW:
                        successor_readiness = 0 if draw < 0.7 else 1
                    elif readiness == READY_ONE_TO_TWO_YEARS:
                        successor_readiness = 0 if draw < 0.1 else 1 if draw < 0.8 else 2
                    else:
                        successor_readiness = 1 if draw < 0.4 else 2
                    added = self.at(min(created_day + rng.between(0, 60), self.today_ordinal - 1), 15)
                    successors.append(
                        (
                            added,
                            added,
                            role_id,
                            base + person,
                            SUCCESSOR_READINESS[successor_readiness],
                            self.membership_of.get(person),
                            self.latest_conversation[person] or None,
                            chief_executive,
                        )
                    )
                role_id += 1
        self.writer.insert(
            "Critical roles",
            CriticalRole,
            (
                "id",
                "created_at",
                "updated_at",
                "title",
                "organisation_id",
                "description",
                "incumbent_id",
                "created_by_id",
            ),
            roles,
        )
        self.writer.insert(
            "Successors",
            Successor,
            (
                "created_at",
                "updated_at",
                "critical_role_id",
                "individual_id",
                "readiness",
                "source_membership_id",
                "source_conversation_id",
                "added_by_id",
            ),
            successors,
        )
        self.writer.reset_sequences(CriticalRole)

    # High Potential Scheme -------------------------------------------------------------------------

    def _hps(self) -> None:
        count = self.options.cohorts
        if count == 0:
            return
        _HpsBuilder(self).build(count)

    # Staff Survey ----------------------------------------------------------------------------------

    def _survey(self) -> None:
        rng = self.rng("staff survey")
        rows = []
        first_year = self.today.year - SURVEY_YEARS
        for organisation, coverage in enumerate(self.organisation_coverage):
            # 0 for the organisation that keeps up its conversations least, 1 for the best.
            keeps_up = (coverage - 0.55) / 0.45
            for year in range(first_year, first_year + SURVEY_YEARS):
                # Results are published in the spring after the survey year.
                imported = min(
                    self.at(datetime.date(year + 1, 3, 15).toordinal(), 10),
                    self.now - datetime.timedelta(days=1),
                )
                for theme, (low, high) in (
                    (SurveyTheme.ALWAYS_LEARNING.value, ALWAYS_LEARNING_RANGE),
                    (SurveyTheme.INTENTION_TO_STAY.value, INTENTION_TO_STAY_RANGE),
                ):
                    position = min(1.0, max(0.0, 0.55 * keeps_up + 0.45 * rng.random()))
                    score = Decimal(f"{low + (high - low) * position:.2f}")
                    rows.append(
                        (self.organisation_base_id + organisation, year, theme, score, None, imported)
                    )
        self.writer.insert(
            "Staff Survey results",
            SurveyResult,
            ("organisation_id", "year", "theme", "score", "imported_by_id", "imported_at"),
            rows,
        )


class _ConversationBuilder:
    """Builds the conversations of one person at a time into lists, written a batch of people at a time."""

    CONVERSATION_FIELDS = (
        "id",
        "created_at",
        "updated_at",
        "individual_id",
        "facilitator_id",
        "facilitator_role",
        "status",
        "planned_for",
        "requested_by_individual",
        "facilitator_preparation",
        "individual_reflection",
        "is_reflection_shared",
        "wellbeing_notes",
        "is_wellbeing_notes_shared",
        "agreed_at",
    )
    RECORD_FIELDS = (
        "id",
        "conversation_id",
        "version",
        "held_on",
        "wellbeing_discussed",
        "support_signposted",
        "strengths",
        "ambition_depth",
        "ambition_breadth",
        "ambition_stretch",
        "aspirations",
        "aspiration_timeframe",
        "framework_version_id",
        "current_impact_level_id",
        "current_growth_category",
        "target_impact_level_id",
        "target_growth_category",
        "readiness",
        "barrier_notes",
        "organisation_support",
        "next_conversation_due",
        "plan_snapshot",
        "recorded_by_id",
        "recorded_at",
        "change_reason",
        "individual_response",
        "individual_responded_at",
        "individual_comment",
    )
    # Where the readiness is in a record's values (which follow the id, conversation and version).
    READINESS_POSITION = RECORD_FIELDS.index("readiness") - 3
    ACTION_FIELDS = (
        "created_at",
        "updated_at",
        "conversation_id",
        "individual_id",
        "description",
        "action_type",
        "leadership_dimension_id",
        "owner",
        "due_on",
        "status",
    )

    def __init__(self, generator: _Generator):
        self.generator = generator
        self.rng = generator.rng("conversations")
        self.random = self.rng.random
        self.conversation_id = generator.writer.next_id(Conversation)
        self.record_id = generator.writer.next_id(ConversationRecord)
        self.today = generator.today_ordinal
        self.latest_status = _Weighted(LATEST_STATUS_WEIGHTS)
        self.earlier_status = _Weighted(EARLIER_STATUS_WEIGHTS)
        self.ambition = _Weighted(AMBITION_WEIGHTS)
        self.current_growth = _Weighted(CURRENT_GROWTH_WEIGHTS)
        self.action_count = _Weighted(ACTION_COUNT_WEIGHTS)
        self.action_owner = _Weighted(ACTION_OWNER_WEIGHTS)
        self.past_action_status = _Weighted(PAST_ACTION_STATUS_WEIGHTS)
        self.future_action_status = _Weighted(FUTURE_ACTION_STATUS_WEIGHTS)
        self.impact_level = [_Weighted(dict(enumerate(weights))) for weights in IMPACT_LEVEL_WEIGHTS_BY_LEVEL]
        self.frameworks = generator.reference.frameworks
        self.dimensions = generator.reference.leadership_dimensions
        # Readiness, barrier counts and barrier types for each combination of flags.
        self.readiness: dict[int, _Weighted] = {}
        self.barrier_count: dict[int, _Weighted] = {}
        self.barrier_type: dict[int, _Weighted] = {}
        for flags in range(16):
            is_bme, is_disabled = bool(flags & BME), bool(flags & DISABLED)
            readiness_weights = dict(enumerate(BASE_READINESS_WEIGHTS))
            readiness_weights[READY_NOW] *= READY_NOW_FACTOR_BME if is_bme else 1
            readiness_weights[READY_NOW] *= READY_NOW_FACTOR_DISABLED if is_disabled else 1
            self.readiness[flags] = _Weighted(readiness_weights)
            self.barrier_count[flags] = _Weighted(
                dict(enumerate(BARRIER_COUNT_WEIGHTS[(is_bme, is_disabled)]))
            )
            weights = {}
            for barrier_id, code in generator.reference.barrier_types:
                weight = BARRIER_TYPE_WEIGHTS.get(code, OTHER_BARRIER_TYPE_WEIGHT)
                for flag, factors in BARRIER_FACTORS.items():
                    if flags & flag:
                        weight *= factors.get(code, 1)
                weights[(barrier_id, code)] = weight
            self.barrier_type[flags] = _Weighted(weights)
        self.organisation_lag = [0.7 + 1.3 * (1 - coverage) for coverage in generator.organisation_coverage]
        self.clear()

    def clear(self) -> None:
        self.conversations: list[tuple] = []
        self.records: list[tuple] = []
        self.barriers: list[tuple] = []
        self.actions: list[tuple] = []

    def framework_on(self, ordinal: int) -> tuple[int, tuple[int, ...]]:
        """The version in force on the day (the oldest one for a day before any) and its levels."""
        in_force = self.frameworks[0]
        for framework in self.frameworks:
            if framework[0] <= ordinal:
                in_force = framework
        return in_force[1], in_force[2]

    def person(self, person: int, count: int) -> None:
        generator, rng, random_value = self.generator, self.rng, self.random
        today = self.today
        organisation = generator.organisation_of[person]
        user_id = generator.user_base_id + person
        manager = generator.user_base_id + generator.manager_of[person]
        flags = generator.flags[person]
        spacing = max(150, min(365, 1095 // count)) + rng.between(-20, 20)
        latest = today - 14 - int(random_value() * 365 * self.organisation_lag[organisation])
        days = [latest - (count - 1 - index) * spacing for index in range(count)]
        if days[0] < today - HISTORY_DAYS:
            shift = today - HISTORY_DAYS - days[0]
            days = [day + shift for day in days]
        seniors = generator.seniors[organisation]
        for index, day in enumerate(days):
            is_latest = index == count - 1
            status = (self.latest_status if is_latest else self.earlier_status).pick(random_value)
            if status == PLANNED:
                day = today + rng.between(3, 60)
            elif status == AWAITING_AGREEMENT and is_latest:
                day = today - rng.between(2, 30)
            elif status == NOT_AGREED and is_latest:
                # At least 10 days ago, so that the response (up to 6 days later) is in the past.
                day = today - rng.between(10, 60)
            facilitator, role = manager, FacilitatorRole.LINE_MANAGER.value
            if random_value() < SHARE_WITH_COACH and len(seniors) > 1:
                coach = seniors[int(random_value() * len(seniors))]
                if coach != person:
                    facilitator, role = generator.user_base_id + coach, FacilitatorRole.COACH.value
            self._conversation(person, user_id, facilitator, role, status, day, flags, is_latest)

    def _conversation(self, person, user_id, facilitator, role, status, day, flags, is_latest) -> None:
        generator, rng, random_value = self.generator, self.rng, self.random
        conversation_id = self.conversation_id
        self.conversation_id += 1
        created = generator.at(
            min(day, self.today) - rng.between(7, 35), rng.between(9, 12), rng.one_of((0, 15, 30, 45))
        )
        is_reflecting = random_value() < 0.5
        has_wellbeing_notes = random_value() < 0.3
        updated = created
        agreed_at = None
        planned_for = datetime.date.fromordinal(day)
        if status == CANCELLED:
            updated = generator.at(min(day, self.today - 1), rng.between(9, 17))
        elif status != PLANNED:
            updated, agreed_at = self._records(
                conversation_id, person, user_id, facilitator, status, day, flags
            )
        self.conversations.append(
            (
                conversation_id,
                created,
                max(created, updated),
                user_id,
                facilitator,
                role,
                status,
                planned_for,
                random_value() < 0.15,
                rng.one_of(PREPARATION_NOTES) if random_value() < 0.5 else "",
                rng.one_of(REFLECTIONS) if is_reflecting else "",
                is_reflecting and random_value() < 0.7,
                rng.one_of(WELLBEING_NOTES) if has_wellbeing_notes else "",
                has_wellbeing_notes and random_value() < 0.2,
                agreed_at,
            )
        )
        if status != PLANNED and status != CANCELLED:
            generator.latest_conversation[person] = conversation_id
            generator.latest_held[person] = day

    def _records(self, conversation_id, person, user_id, facilitator, status, day, flags):
        """The record versions of a held conversation; returns (last change, agreed at)."""
        generator, rng, random_value = self.generator, self.rng, self.random
        level = generator.level_of[person]
        version_id, levels = self.framework_on(day)
        current = min(self.impact_level[level].pick(random_value), len(levels) - 1)
        target = min(current + 1, len(levels) - 1) if random_value() < 0.6 else current
        ambitions = [self.ambition.pick(random_value) for _ in GROWTH_CATEGORIES]
        strongest = max(AMBITION_RANK[ambition] for ambition in ambitions)
        target_growth = rng.one_of(
            [
                category
                for category, ambition in zip(GROWTH_CATEGORIES, ambitions, strict=True)
                if AMBITION_RANK[ambition] == strongest
            ]
        )
        readiness = self.readiness[flags].pick(random_value)
        barrier_total = self.barrier_count[flags].pick(random_value)
        barriers: list[int] = []
        barrier_choice = self.barrier_type[flags]
        available = len(barrier_choice.values)
        while len(barriers) < min(barrier_total, available):
            barrier_id, _code = barrier_choice.pick(random_value)
            if barrier_id not in barriers:
                barriers.append(barrier_id)
        wellbeing = random_value() < 0.9
        held_on = datetime.date.fromordinal(day)
        values = [
            held_on,
            wellbeing,
            wellbeing and random_value() < 0.25,
            rng.one_of(STRENGTHS),
            *ambitions,
            rng.one_of(ASPIRATIONS),
            rng.one_of(TIMEFRAMES_BY_READINESS[readiness]),
            version_id,
            levels[current],
            self.current_growth.pick(random_value),
            levels[target],
            target_growth,
            READINESS_CODES[readiness],
            rng.one_of(BARRIER_NOTES) if barriers and random_value() < 0.5 else "",
            rng.one_of(ORGANISATION_SUPPORT) if random_value() < 0.7 else "",
            default_next_conversation_due(held_on),
            [],
            facilitator,
        ]
        recorded_day = day + (0 if status == AWAITING_AGREEMENT else rng.between(0, 2))
        recorded = generator.at(recorded_day, rng.between(14, 17), rng.one_of((0, 15, 30, 45)))
        is_amended = status == AGREED and random_value() < SHARE_AMENDED
        versions = []
        if status == AWAITING_AGREEMENT:
            versions.append((recorded, "", ConversationRecord.Response.PENDING.value, None, ""))
        elif status == NOT_AGREED or is_amended:
            responded = recorded + datetime.timedelta(days=rng.between(1, 4), hours=rng.between(0, 3))
            comment, change_reason = (
                rng.one_of(AMENDMENTS) if is_amended else (rng.one_of(NOT_AGREED_COMMENTS), "")
            )
            versions.append((recorded, "", ConversationRecord.Response.NOT_AGREED.value, responded, comment))
            if is_amended:
                second = responded + datetime.timedelta(days=rng.between(1, 2))
                versions.append((second, change_reason, ConversationRecord.Response.AGREED.value, None, ""))
        else:
            versions.append((recorded, "", ConversationRecord.Response.AGREED.value, None, ""))
        last_change = recorded
        agreed_at = None
        for version, (recorded_at, change_reason, response, responded_at, comment) in enumerate(
            versions, start=1
        ):
            if response == ConversationRecord.Response.AGREED and responded_at is None:
                responded_at = recorded_at + datetime.timedelta(
                    days=rng.between(1, 3), hours=rng.between(0, 3)
                )
                agreed_at = responded_at
            record_values = values
            if is_amended and version == 1 and readiness in (READY_NOW, READY_ONE_TO_TWO_YEARS):
                # The first version was less hopeful; the amended one is what was agreed.
                record_values = list(values)
                record_values[self.READINESS_POSITION] = READINESS_CODES[readiness + 1]
            self.records.append(
                (
                    self.record_id,
                    conversation_id,
                    version,
                    *record_values,
                    recorded_at,
                    change_reason,
                    response,
                    responded_at,
                    comment,
                )
            )
            self.barriers.extend((self.record_id, barrier_id) for barrier_id in barriers)
            self.record_id += 1
            last_change = max(recorded_at, responded_at or recorded_at)
        generator.latest_readiness[person] = readiness
        self._actions(conversation_id, user_id, day, recorded, status)
        return last_change, agreed_at

    def _actions(self, conversation_id, user_id, day, recorded, status) -> None:
        generator, rng, random_value = self.generator, self.rng, self.random
        today = self.today
        for _ in range(self.action_count.pick(random_value)):
            action_type = ACTION_TYPES[int(random_value() * len(ACTION_TYPES))]
            due = day + rng.between(30, 330)
            if status != AGREED:
                action_status = ACTION_NOT_STARTED
            elif due < today:
                action_status = self.past_action_status.pick(random_value)
            else:
                action_status = self.future_action_status.pick(random_value)
            updated = recorded
            if action_status != ACTION_NOT_STARTED:
                updated = generator.at(min(due, today - 1), rng.between(9, 17))
            self.actions.append(
                (
                    recorded,
                    max(recorded, updated),
                    conversation_id,
                    user_id,
                    rng.one_of(ACTIONS[action_type]),
                    action_type,
                    rng.one_of(self.dimensions) if self.dimensions and random_value() < 0.5 else None,
                    self.action_owner.pick(random_value),
                    datetime.date.fromordinal(due),
                    action_status,
                )
            )


@dataclass
class _Step:
    source: str
    target: str
    by: int
    at: datetime.datetime
    reason: str = ""


class _HpsBuilder:
    """Intakes spread over the last four years or so, the oldest finished and the newest open now.

    Each intake covers one region's ICSs and bands 8a to 8d, so its eligible staff are the synthetic
    staff in those bands in that region. Each application follows the workflow's transitions, stopping
    where today falls; a few people drop out at every stage.
    """

    def __init__(self, generator: _Generator):
        self.generator = generator
        self.rng = generator.rng("hps")
        self.random = self.rng.random
        self.base = generator.user_base_id
        self.today = generator.today_ordinal
        self.now = generator.now
        self.at = generator.at

    def build(self, count: int) -> None:
        generator, rng = self.generator, self.rng
        writer = generator.writer
        hps_bands = {BAND_INDEX[code] for code in HPS_BAND_CODES}
        region_ids = [region_id for region_id, _name in generator.reference.regions]
        region_names = dict(generator.reference.regions)
        used_regions = [
            region_id for region_id in region_ids if region_id in set(generator.organisation_region)
        ]
        systems_by_region: dict[int, list[int]] = {}
        for ics_id, region_id in generator.reference.integrated_care_systems:
            systems_by_region.setdefault(region_id, []).append(ics_id)
        eligible: dict[int, list[int]] = {region_id: [] for region_id in used_regions}
        administrators: dict[int, list[int]] = {region_id: [] for region_id in used_regions}
        for person in range(generator.options.staff):
            region_id = generator.organisation_region[generator.organisation_of[person]]
            if generator.band_of[person] in hps_bands:
                eligible[region_id].append(person)
            if generator.level_of[person] >= 3:
                administrators[region_id].append(person)

        cohort_base = writer.next_id(Cohort)
        application_id = writer.next_id(Application)
        participant_id = writer.next_id(Participant)
        step_days = COHORT_SPAN_DAYS // (count - 1) if count > 1 else 0
        band_ids = generator.reference.pay_bands
        cohorts, footprints, bands, admins = [], [], [], []
        applications, transitions, participants, plans, destinations = [], [], [], [], []
        for index in range(count):
            cohort_id = cohort_base + index
            region_id = used_regions[index % len(used_regions)]
            opens = self.today - 20 - (count - 1 - index) * step_days
            closes = opens + APPLICATION_WINDOW_DAYS
            starts = closes + DAYS_FROM_CLOSE_TO_START
            administrator = rng.one_of(administrators[region_id])
            pool = [person for person in eligible[region_id] if person != administrator]
            wanted = min(len(pool), max(MINIMUM_APPLICATIONS, round(len(pool) * SHARE_OF_ELIGIBLE_APPLYING)))
            applicants = sorted(rng.sample(pool, wanted))
            year = datetime.date.fromordinal(starts).year
            terms_version = f"{year}.1"
            created = self.at(opens - 30, 10)
            cohorts.append(
                (
                    cohort_id,
                    created,
                    created,
                    f"{COHORT_NAME_PREFIX}{index + 1}: {region_names[region_id]} {year}",
                    datetime.date.fromordinal(opens),
                    datetime.date.fromordinal(closes),
                    datetime.date.fromordinal(starts),
                    max(10, 5 * round(wanted * 0.2 / 5)),
                    terms_version,
                    DEMO_TERMS_TEXT,
                    self.base + administrator,
                )
            )
            footprints.extend((cohort_id, ics_id) for ics_id in systems_by_region[region_id])
            bands.extend((cohort_id, band_ids[code]) for code in HPS_BAND_CODES)
            admins.append((cohort_id, self.base + administrator))
            cohort = _CohortDates(cohort_id, opens, closes, starts, terms_version, self.base + administrator)
            for person in applicants:
                application = self._application(application_id, cohort, person)
                if application is None:
                    continue
                row, steps = application
                applications.append(row)
                transitions.extend(
                    (application_id, step.source, step.target, step.by, step.at, step.reason)
                    for step in steps
                )
                if steps and steps[-1].target == Status.ACCEPTED:
                    self._participant(
                        participant_id,
                        application_id,
                        cohort,
                        person,
                        row,
                        steps[-1].at,
                        participants,
                        plans,
                        destinations,
                    )
                    participant_id += 1
                application_id += 1
        cohort_m2m = {
            name: Cohort._meta.get_field(name)
            for name in ("integrated_care_systems", "eligible_pay_bands", "administrators")
        }
        writer.insert(
            "HPS cohorts",
            Cohort,
            (
                "id",
                "created_at",
                "updated_at",
                "name",
                "opens_on",
                "closes_on",
                "starts_on",
                "capacity",
                "terms_version",
                "terms_text",
                "created_by_id",
            ),
            cohorts,
        )
        for name, rows in (
            ("integrated_care_systems", footprints),
            ("eligible_pay_bands", bands),
            ("administrators", admins),
        ):
            field = cohort_m2m[name]
            writer.insert(
                "HPS cohort settings",
                field.remote_field.through,
                (f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"),
                rows,
            )
        writer.insert("HPS applications", Application, APPLICATION_FIELDS, applications)
        writer.insert(
            "HPS application status changes",
            ApplicationTransition,
            ("application_id", "from_status", "to_status", "by_id", "at", "reason"),
            transitions,
        )
        writer.insert("HPS participants", Participant, PARTICIPANT_FIELDS, participants)
        writer.insert(
            "HPS career development plans",
            CareerDevelopmentPlan,
            (
                "created_at",
                "updated_at",
                "participant_id",
                "aspirations",
                "strengths",
                "areas_to_develop",
                "planned_experiences",
            ),
            plans,
        )
        writer.insert(
            "HPS destinations",
            Destination,
            (
                "created_at",
                "updated_at",
                "participant_id",
                "started_on",
                "job_title",
                "organisation_name",
                "pay_band_id",
                "is_promotion",
            ),
            destinations,
        )
        writer.reset_sequences(Cohort, Application, Participant)
        generator.progress(
            f"  {count:,} cohorts, {len(applications):,} applications, {len(participants):,} participants"
        )

    def _application(self, application_id: int, cohort: "_CohortDates", person: int):
        """The application's row and its status changes, or None if the person had not started by today."""
        generator, rng, random_value = self.generator, self.rng, self.random
        applicant = self.base + person
        manager = generator.manager_of[person]
        grand_manager = generator.manager_of[manager]
        is_senior_sponsor = grand_manager >= 0 and random_value() < 0.2
        sponsor_person = grand_manager if is_senior_sponsor else manager
        sponsor = self.base + sponsor_person
        admin = cohort.administrator
        flags = generator.flags[person]
        draft_day = cohort.opens + rng.between(0, APPLICATION_WINDOW_DAYS - 4)
        drafted = self.at(draft_day, rng.between(8, 20), rng.between(0, 59))
        if drafted >= self.now:
            return None
        steps: list[_Step] = []
        status = Status.DRAFT.value

        def go(target: str, by: int, when: datetime.datetime, reason: str = "") -> None:
            nonlocal status
            steps.append(_Step(status, target, by, when, reason))
            status = target

        def withdraw_between(start: datetime.datetime, end: datetime.datetime) -> None:
            go(Status.WITHDRAWN.value, applicant, start + (end - start) / 2)

        submitted_day = min(draft_day + rng.between(1, 7), cohort.closes)
        submitted = self.at(submitted_day, rng.between(12, 21), rng.between(0, 59))
        fate = random_value()
        if fate < 0.05:
            pass  # started, never submitted
        elif fate < 0.07:
            withdraw_between(drafted, submitted)
        else:
            self._submitted_path(go, withdraw_between, cohort, submitted, applicant, sponsor, admin, flags)
        # Only what has happened by today.
        kept = [step for step in steps if step.at < self.now]
        reached = {step.target for step in kept}
        final = kept[-1].target if kept else Status.DRAFT.value
        by_step = {step.target: step for step in kept}
        is_submitted = Status.SUBMITTED in reached
        is_signed = Status.ELIGIBILITY_REVIEW in reached
        band_code = BANDS[generator.band_of[person]][0]
        profile_name = generator.full_name(person)
        fills_statements = is_submitted or random_value() < 0.5
        sponsor_named = is_submitted or random_value() < 0.5
        invited = by_step.get(Status.ASSESSMENT_INVITED)
        assessed = by_step.get(Status.ASSESSMENT_COMPLETE)
        title = self._job_title(person)
        statements = {
            name: text.format(job_title=title.lower())
            if fills_statements or name == "motivation_statement"
            else ""
            for name, text in STATEMENTS.items()
        }
        result = ""
        if assessed is not None:
            shortlisted = Status.SHORTLISTED in reached
            result = rng.one_of(ASSESSMENT_RESULTS[:2]) if shortlisted else rng.one_of(ASSESSMENT_RESULTS[1:])
        row = (
            application_id,
            drafted,
            kept[-1].at if kept else drafted,
            applicant,
            cohort.cohort_id,
            final,
            {
                "works_in_footprint": True,
                "pay_band": band_code,
                "interested_in_senior_roles": True,
                "ready_to_learn": True,
                "compassionate_leadership": True,
                "career_transition": True,
            },
            title,
            generator.organisation_base_id + generator.organisation_of[person],
            generator.reference.pay_bands[band_code],
            DevelopmentStream.STREAM_ONE.value
            if band_code in ("AFC8A", "AFC8B")
            else DevelopmentStream.STREAM_TWO.value,
            statements["motivation_statement"],
            statements["leadership_statement"],
            statements["transition_statement"],
            generator.email(sponsor_person) if sponsor_named else "",
            (
                Application.SponsorRelationship.SENIOR_SPONSOR.value
                if is_senior_sponsor
                else Application.SponsorRelationship.LINE_MANAGER.value
            )
            if sponsor_named
            else "",
            sponsor if is_signed else None,
            profile_name if is_submitted else "",
            by_step[Status.SUBMITTED].at if is_submitted else None,
            cohort.terms_version if is_submitted else "",
            generator.full_name(sponsor_person) if is_signed else "",
            by_step[Status.ELIGIBILITY_REVIEW].at if is_signed else None,
            cohort.terms_version if is_signed else "",
            by_step[Status.SUBMITTED].at if is_submitted else None,
            invited.at if invited else None,
            (assessed.at - datetime.timedelta(days=2)).date() if assessed else None,
            result,
        )
        return row, kept

    def _submitted_path(
        self, go, withdraw_between, cohort, submitted, applicant, sponsor, admin, flags
    ) -> None:
        """From submission to the final status, following `hps.workflow.TRANSITIONS`."""
        rng, random_value, at = self.rng, self.random, self.at
        go(Status.SUBMITTED.value, applicant, submitted)
        invited_sponsor = submitted + datetime.timedelta(minutes=2)
        go(Status.AWAITING_SPONSOR.value, applicant, invited_sponsor)
        signed_day = min(submitted.date().toordinal() + rng.between(1, 6), cohort.closes + 2)
        signed = at(signed_day, rng.between(9, 17), rng.between(0, 59))
        if random_value() < 0.03:
            withdraw_between(invited_sponsor, signed)
            return
        go(Status.ELIGIBILITY_REVIEW.value, sponsor, signed)
        decided = at(cohort.closes + rng.between(3, 10), 16)
        draw = random_value()
        if draw < 0.08:
            go(Status.INELIGIBLE.value, admin, decided, rng.one_of(INELIGIBLE_REASONS))
            return
        if draw < 0.10:
            withdraw_between(signed, decided)
            return
        go(Status.ASSESSMENT_INVITED.value, admin, decided)
        assessment_recorded = at(decided.date().toordinal() + rng.between(16, 23), 11)
        if random_value() < 0.03:
            withdraw_between(decided, assessment_recorded)
            return
        go(Status.ASSESSMENT_COMPLETE.value, admin, assessment_recorded)
        shortlist_decided = assessment_recorded + datetime.timedelta(days=rng.between(5, 7))
        chance = SHORTLIST_CHANCE
        chance *= SHORTLIST_FACTOR_BME if flags & BME else 1
        chance *= SHORTLIST_FACTOR_DISABLED if flags & DISABLED else 1
        draw = random_value()
        if draw < 0.02:
            withdraw_between(assessment_recorded, shortlist_decided)
            return
        if draw >= 0.02 + chance:
            go(Status.UNSUCCESSFUL.value, admin, shortlist_decided, rng.one_of(UNSUCCESSFUL_REASONS))
            return
        go(Status.SHORTLISTED.value, admin, shortlist_decided)
        offer_at = shortlist_decided + datetime.timedelta(days=rng.between(7, 10))
        draw = random_value()
        if draw < 0.03:
            withdraw_between(shortlist_decided, offer_at)
            return
        if draw < 0.25:
            go(Status.UNSUCCESSFUL.value, admin, offer_at, rng.one_of(NOT_OFFERED_REASONS))
            return
        go(Status.OFFERED.value, admin, offer_at)
        answered = offer_at + datetime.timedelta(days=rng.between(1, 5), hours=rng.between(1, 6))
        is_accepted = random_value() < 0.9
        if random_value() < 0.8:
            go(Status.ACCEPTED.value if is_accepted else Status.DECLINED.value, applicant, answered)
        elif is_accepted:
            go(Status.ACCEPTED.value, admin, answered)
        else:
            go(Status.DECLINED.value, admin, answered, rng.one_of(DECLINE_REASONS))

    def _job_title(self, person: int) -> str:
        generator = self.generator
        group_code = STAFF_GROUPS[generator.group_of[person]][0]
        band_code = BANDS[generator.band_of[person]][0]
        return JOB_TITLES.get(group_code, {}).get(band_code) or "Manager"

    def _participant(
        self,
        participant_id,
        application_id,
        cohort,
        person,
        application_row,
        accepted_at,
        participants,
        plans,
        destinations,
    ) -> None:
        generator, rng, random_value = self.generator, self.rng, self.random
        starts = datetime.date.fromordinal(cohort.starts)
        ends = add_months(starts, Cohort.SCHEME_LENGTH_MONTHS)
        completed_at = None
        reason = ""
        draw = random_value()
        if ends.toordinal() < self.today:
            status = (
                Participant.Status.COMPLETED.value
                if draw < 0.85
                else Participant.Status.WITHDRAWN.value
                if draw < 0.95
                else Participant.Status.ACTIVE.value
            )
            if status == Participant.Status.COMPLETED:
                completed_at = self.at(min(ends.toordinal() + rng.between(0, 40), self.today - 1), 12)
        else:
            status = (
                Participant.Status.ACTIVE.value
                if draw < 0.9
                else Participant.Status.PAUSED.value
                if draw < 0.95
                else Participant.Status.WITHDRAWN.value
            )
        reason = PARTICIPANT_REASONS.get(status, "")
        updated = completed_at or accepted_at
        participants.append(
            (
                participant_id,
                accepted_at,
                updated,
                application_id,
                self.base + person,
                cohort.cohort_id,
                None,
                application_row[APPLICATION_FIELDS.index("sponsor_id")],
                None,
                starts,
                ends,
                status,
                reason,
                False,
                "",
                completed_at,
            )
        )
        plans.append((accepted_at, accepted_at, participant_id, "", "", "", ""))
        in_second_year = starts.toordinal() + 365 < self.today
        has_destination = (status == Participant.Status.COMPLETED and random_value() < 0.45) or (
            status == Participant.Status.ACTIVE and in_second_year and random_value() < 0.06
        )
        if not has_destination:
            return
        band_code = BANDS[generator.band_of[person]][0]
        if status == Participant.Status.COMPLETED:
            first_day = max(starts.toordinal() + 400, ends.toordinal() - 150)
            started_day = min(first_day + rng.between(0, 390), self.today - 1)
        else:
            started_day = min(starts.toordinal() + 365 + rng.between(0, 200), self.today - 1)
        chance = 0.78 * (0.85 if generator.flags[person] & BME else 1)
        is_promotion = random_value() < chance
        next_band = NEXT_BAND[band_code] if is_promotion else band_code
        title = DESTINATION_TITLES[next_band] if is_promotion else rng.one_of(LATERAL_TITLES)
        organisation = generator.organisation_of[person]
        if random_value() >= 0.75:
            organisation = int(random_value() * generator.options.organisations)
        created = self.at(started_day, 12)
        destinations.append(
            (
                created,
                created,
                participant_id,
                datetime.date.fromordinal(started_day),
                title,
                generator.organisation_names[organisation],
                generator.reference.pay_bands[next_band],
                is_promotion,
            )
        )


@dataclass(frozen=True)
class _CohortDates:
    cohort_id: int
    opens: int
    closes: int
    starts: int
    terms_version: str
    administrator: int


APPLICATION_FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "applicant_id",
    "cohort_id",
    "status",
    "eligibility_answers",
    "job_title",
    "organisation_id",
    "pay_band_id",
    "development_stream",
    "motivation_statement",
    "leadership_statement",
    "transition_statement",
    "sponsor_email",
    "sponsor_relationship",
    "sponsor_id",
    "applicant_signed_name",
    "applicant_signed_at",
    "applicant_terms_version",
    "sponsor_signed_name",
    "sponsor_signed_at",
    "sponsor_terms_version",
    "submitted_at",
    "assessment_invited_at",
    "assessment_completed_on",
    "assessment_result",
)
PARTICIPANT_FIELDS = (
    "id",
    "created_at",
    "updated_at",
    "application_id",
    "user_id",
    "cohort_id",
    "coach_id",
    "sponsor_id",
    "mentor_id",
    "starts_on",
    "ends_on",
    "status",
    "status_reason",
    "needs_readiness_assessment",
    "completion_exception_reason",
    "completed_at",
)
