"""Build the summary tables for one snapshot date from the raw rows.

The dashboards read only the summary tables (`reporting.models`), so they answer in a few indexed reads
whatever the size of the workforce. This module is the one place that reads raw people, conversation,
talent pool, succession and HPS rows for reporting, and the only reader of equality data besides the
person themselves.

How it works, for speed at NHS scale (1.5 million staff, 3 million conversations):
1. Stream each person in post once, with their equality answers, and fold their latest conversation
   record, development needs, talent pool and succession entries into a compact tuple of facts.
2. Count people with `collections.Counter` by organisation, band, staff group, equality group and the
   tuple of facts (C-speed counting; the number of distinct keys is far smaller than the number of people).
3. Roll those counts up to every organisation, ICS, region and England, by band, staff group and
   organisation, and write one summary row per key with bulk inserts.

People, their organisations, bands and equality answers are taken as they are today; conversations,
pool memberships, successors and HPS steps are counted as they stood at the end of the snapshot date.
"""

from __future__ import annotations

import datetime
import itertools
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts.models import EqualityProfile, Organisation, StaffProfile, User
from conversations.models import (
    Conversation,
    ConversationRecord,
    DevelopmentAction,
    Readiness,
    Successor,
    TalentPoolMembership,
)
from hps.models import Application, ApplicationTransition, Cohort, Destination, Participant
from reporting.groups import BREAKDOWNS, GROUPINGS
from reporting.models import (
    AreaLevel,
    DistributionCube,
    HpsFunnelCube,
    OrganisationYearCoverage,
    Snapshot,
    StaffCube,
    SuccessionCube,
    TalentPoolCube,
)

ALL = "all"
COVERAGE_WINDOW_DAYS = 365
BULK_BATCH_SIZE = 5000

# Equality fields as stored, then the derived groupings (WRES, WDES, age group), in a fixed order.
EQUALITY_FIELDS: tuple[str, ...] = tuple(BREAKDOWNS)
BREAKDOWN_KEYS: tuple[str, ...] = (*EQUALITY_FIELDS, *GROUPINGS)
_GROUPING_SOURCES = tuple(EQUALITY_FIELDS.index(grouping.field) for grouping in GROUPINGS.values())
_NOT_KNOWN = tuple(str(EqualityProfile._meta.get_field(field).default) for field in EQUALITY_FIELDS)

STAFF_MEASURES = StaffCube.MEASURES
_READINESS_MEASURE = {
    Readiness.READY_NOW: "ready_now",
    Readiness.ONE_TO_TWO_YEARS: "ready_one_to_two_years",
    Readiness.THREE_PLUS_YEARS: "ready_later",
    Readiness.DEVELOPING_IN_ROLE: "developing_in_role",
}
_ACTIVE_MEMBERSHIP = (TalentPoolMembership.Status.NOMINATED, TalentPoolMembership.Status.ACCEPTED)
_GONE_MEMBERSHIP = (TalentPoolMembership.Status.DECLINED, TalentPoolMembership.Status.LEFT)

Status = Application.Status
# Each funnel step and the application statuses that show a person reached it.
HPS_STEP_STATUSES: dict[str, tuple[str, ...]] = {
    "applied": (Status.SUBMITTED,),
    "sponsor_signed": (Status.ELIGIBILITY_REVIEW,),
    "invited": (Status.ASSESSMENT_INVITED,),
    "assessed": (Status.ASSESSMENT_COMPLETE,),
    "shortlisted": (Status.SHORTLISTED,),
    "offered": (Status.OFFERED,),
    "accepted": (Status.ACCEPTED,),
}

Measure = DistributionCube.Measure
# Kinds of development action, in a fixed (alphabetical) order, for the bits in `_needs`.
ACTION_TYPES: tuple[str, ...] = tuple(sorted(DevelopmentAction.ActionType.values))


@dataclass(frozen=True, slots=True)
class _Latest:
    """The latest conversation record of one person, as of the snapshot date."""

    sort_key: tuple
    record_id: int
    conversation_id: int
    held_on: datetime.date
    readiness: str
    current_level: int
    target_level: int
    current_growth: str
    target_growth: str
    timeframe: str
    next_due: datetime.date


@dataclass(frozen=True, slots=True)
class _Area:
    """The organisation's place in the areas it rolls up to."""

    code: str
    ics_id: int
    region_id: int


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first moment after `day` in the service's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))


def groups_of(answers: Iterable[str | None]) -> tuple[str, ...]:
    """Equality codes (not known where missing) followed by the derived WRES, WDES and age groups."""
    codes = tuple(code or default for code, default in zip(answers, _NOT_KNOWN, strict=True))
    derived = tuple(
        grouping.group_of(codes[source])
        for grouping, source in zip(GROUPINGS.values(), _GROUPING_SOURCES, strict=True)
    )
    return codes + derived


def refresh_snapshot(as_of: datetime.date | None = None) -> Snapshot:
    """Rebuild every summary table for `as_of` (default today) and return its snapshot.

    Runs in one transaction: the dashboards keep showing the previous rows until the new ones are
    complete. Refreshing a date again replaces its rows.
    """
    as_of = as_of or timezone.localdate()
    started = time.monotonic()
    builder = _Builder(as_of)
    builder.collect()
    with transaction.atomic():
        snapshot, _created = Snapshot.objects.update_or_create(as_of=as_of, defaults={})
        for model in (
            StaffCube,
            DistributionCube,
            HpsFunnelCube,
            SuccessionCube,
            TalentPoolCube,
            OrganisationYearCoverage,
        ):
            model.objects.filter(snapshot=snapshot).delete()
        for model, rows in builder.rows(snapshot):
            write_rows(model, rows)
        snapshot.refreshed_at = timezone.now()
        snapshot.staff_count = builder.staff_count
        snapshot.duration_ms = round((time.monotonic() - started) * 1000)
        snapshot.save(update_fields=["refreshed_at", "staff_count", "duration_ms"])
    return snapshot


def write_rows(model, rows: Iterable[dict]) -> None:
    """Insert rows (dicts keyed by field attname) fast: COPY on PostgreSQL, executemany elsewhere.

    Summary tables have no signals, no custom save and no generated fields, so writing the column
    values directly is equivalent to `bulk_create` and an order of magnitude faster at scale.
    """
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    columns = [field.column for field in fields]
    attnames = [field.attname for field in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    # Built in full before writing: the row builders read the database, which cannot be done on a
    # connection that is in the middle of a COPY.
    values = [[row[name] for name in attnames] for row in rows]
    if not values:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        # Table and column names come from the model's metadata, never from input.
        statement = f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})"  # noqa: S608
        for batch in itertools.batched(values, BULK_BATCH_SIZE, strict=False):
            cursor.executemany(statement, batch)


class _Builder:
    def __init__(self, as_of: datetime.date) -> None:
        self.as_of = as_of
        self.cutoff = end_of_day(as_of)
        self.window_start = as_of - datetime.timedelta(days=COVERAGE_WINDOW_DAYS - 1)
        self.areas: dict[int, _Area] = {}
        self.groups_by_user: dict[int, tuple[str, ...]] = {}
        self.staff_count = 0
        # (organisation, band, staff group, breakdown index, group, facts) -> people
        self.staff_counts: Counter = Counter()
        # (organisation, band, staff group, measure, category) -> people, for breakdown "all"
        self.distribution_all: Counter = Counter()
        # (organisation, breakdown index, group, measure, category) -> people
        self.distribution_groups: Counter = Counter()
        # (organisation, band, breakdown index, group) -> people, for HPS eligibility
        self.band_counts: Counter = Counter()
        # (organisation, year) -> people with a conversation that year
        self.year_counts: Counter = Counter()
        self.staff_by_organisation: Counter = Counter()

    # Collecting -------------------------------------------------------------------------------

    def collect(self) -> None:
        self.areas = {
            org_id: _Area(code=code, ics_id=ics_id, region_id=region_id)
            for org_id, code, ics_id, region_id in Organisation.objects.values_list(
                "pk", "code", "integrated_care_system_id", "integrated_care_system__region_id"
            )
        }
        latest, years = self._latest_records()
        barriers = self._barriers({entry.record_id for entry in latest.values()})
        needs = self._needs({entry.conversation_id for entry in latest.values()})
        agreed = self._agreed_recently()
        in_pool = set(
            TalentPoolMembership.objects.filter(
                status__in=_ACTIVE_MEMBERSHIP, created_at__lt=self.cutoff
            ).values_list("individual_id", flat=True)
        )
        successors = set(
            Successor.objects.filter(created_at__lt=self.cutoff).values_list("individual_id", flat=True)
        )
        # Equality groups are kept only for the people the per-role, per-pool and HPS tables need,
        # not for every member of staff (that would be millions of entries at NHS scale).
        wanted_groups = (
            set(Successor.objects.values_list("individual_id", flat=True))
            | set(TalentPoolMembership.objects.values_list("individual_id", flat=True))
            | set(Application.objects.values_list("applicant_id", flat=True))
        )

        for person in self._people():
            user_id, org_id, band, staff_group, *answers = person
            groups = groups_of(answers)
            if user_id in wanted_groups:
                self.groups_by_user[user_id] = groups
            self.staff_count += 1
            self.staff_by_organisation[org_id] += 1
            entry = latest.get(user_id)
            facts = self._facts(user_id, entry, agreed, in_pool, successors)
            categories = self._categories(entry, barriers, needs)
            for index, group in enumerate(groups):
                self.staff_counts[(org_id, band, staff_group, index, group, facts)] += 1
                self.band_counts[(org_id, band, index, group)] += 1
                for measure, category in categories:
                    self.distribution_groups[(org_id, index, group, measure, category)] += 1
            self.staff_counts[(org_id, band, staff_group, -1, "", facts)] += 1
            self.band_counts[(org_id, band, -1, "")] += 1
            for measure, category in categories:
                self.distribution_all[(org_id, band, staff_group, measure, category)] += 1
            year_bits = years.get(user_id, 0)
            while year_bits:
                bit = year_bits & -year_bits
                self.year_counts[(org_id, bit.bit_length() - 1)] += 1
                year_bits ^= bit

    def _people(self) -> Iterator[tuple]:
        fields = [f"user__equality_profile__{field}" for field in EQUALITY_FIELDS]
        return (
            StaffProfile.objects.filter(is_active=True)
            .order_by()
            .values_list("user_id", "organisation_id", "pay_band__code", "staff_group__code", *fields)
            .iterator(chunk_size=20000)
        )

    def _latest_records(self) -> tuple[dict[int, _Latest], dict[int, int]]:
        """Each person's latest record, and the calendar years they had one in (as bits: 1 << year)."""
        latest: dict[int, _Latest] = {}
        years: dict[int, int] = defaultdict(int)
        rows = (
            self._current_records()
            .order_by()
            .values_list(
                "conversation__individual_id",
                "conversation_id",
                "version",
                "pk",
                "held_on",
                "readiness",
                "current_impact_level__order",
                "target_impact_level__order",
                "current_growth_category",
                "target_growth_category",
                "aspiration_timeframe",
                "next_conversation_due",
            )
            .iterator(chunk_size=20000)
        )
        for individual_id, conversation_id, version, pk, held_on, *rest in rows:
            years[individual_id] |= 1 << held_on.year
            sort_key = (held_on, conversation_id, version)
            current = latest.get(individual_id)
            if current is None or sort_key > current.sort_key:
                latest[individual_id] = _Latest(sort_key, pk, conversation_id, held_on, *rest)
        return latest, years

    def _barriers(self, record_ids: set[int]) -> dict[int, list[str]]:
        through = ConversationRecord.barriers.through
        found: dict[int, list[str]] = defaultdict(list)
        rows = (
            through.objects.filter(conversationrecord__held_on__lte=self.as_of)
            .order_by()
            .values_list("conversationrecord_id", "barriertype__code")
            .iterator(chunk_size=20000)
        )
        for record_id, code in rows:
            if record_id in record_ids:
                found[record_id].append(code)
        return found

    def _needs(self, conversation_ids: set[int]) -> dict[int, int]:
        """The kinds of development agreed in each conversation, as bits of `ACTION_TYPES`."""
        found: dict[int, int] = defaultdict(int)
        rows = (
            DevelopmentAction.objects.filter(created_at__lt=self.cutoff)
            .order_by()
            .values_list("conversation_id", "action_type")
            .iterator(chunk_size=20000)
        )
        for conversation_id, action_type in rows:
            if conversation_id in conversation_ids:
                found[conversation_id] |= 1 << ACTION_TYPES.index(action_type)
        return found

    def _current_records(self) -> QuerySet[ConversationRecord]:
        """Each non-cancelled conversation's latest version recorded by the end of the snapshot date.

        A later version replaces the earlier ones (it may correct the date, the position or the
        readiness), so a superseded version never counts, whatever date it gives.
        """
        later = ConversationRecord.objects.filter(
            conversation=OuterRef("conversation"),
            version__gt=OuterRef("version"),
            recorded_at__lt=self.cutoff,
        )
        return (
            ConversationRecord.objects.filter(held_on__lte=self.as_of, recorded_at__lt=self.cutoff)
            .exclude(conversation__status=Conversation.Status.CANCELLED)
            .filter(~Exists(later))
        )

    def _agreed_recently(self) -> set[int]:
        """People with an agreed record held in the 12 months to the snapshot date.

        Read from the record's own response rather than the conversation's status today: a version
        recorded after the snapshot date sets the conversation back to "awaiting agreement", but the
        agreement stood at the end of the snapshot date.
        """
        return set(
            self._current_records()
            .filter(
                held_on__gte=self.window_start,
                individual_response=ConversationRecord.Response.AGREED,
                individual_responded_at__lt=self.cutoff,
            )
            .values_list("conversation__individual_id", flat=True)
        )

    def _facts(self, user_id: int, entry: _Latest | None, agreed, in_pool, successors) -> tuple[int, ...]:
        values = dict.fromkeys(STAFF_MEASURES, 0)
        values["staff"] = 1
        if entry is None:
            values["never_had"] = 1
        else:
            values["had_conversation"] = int(entry.held_on >= self.window_start)
            values["overdue"] = int(entry.next_due < self.as_of)
            values["with_position"] = 1
            values["wants_to_move_up"] = int(entry.target_level > entry.current_level)
            values[_READINESS_MEASURE[entry.readiness]] = 1
        values["agreed"] = int(user_id in agreed)
        values["in_talent_pool"] = int(user_id in in_pool)
        values["successor"] = int(user_id in successors)
        return tuple(values[name] for name in STAFF_MEASURES)

    @staticmethod
    def _categories(entry: _Latest | None, barriers, needs) -> list[tuple[str, str]]:
        if entry is None:
            return []
        categories = [
            (Measure.CURRENT_LEVEL, str(entry.current_level)),
            (Measure.TARGET_LEVEL, str(entry.target_level)),
            (Measure.CURRENT_GROWTH, entry.current_growth),
            (Measure.TARGET_GROWTH, entry.target_growth),
            (Measure.READINESS, entry.readiness),
            (Measure.TIMEFRAME, entry.timeframe),
        ]
        categories.extend((Measure.BARRIER, code) for code in barriers.get(entry.record_id, ()))
        kinds = needs.get(entry.conversation_id, 0)
        categories.extend(
            (Measure.ACTION_TYPE, kind) for position, kind in enumerate(ACTION_TYPES) if kinds >> position & 1
        )
        return categories

    # Rolling up -------------------------------------------------------------------------------

    def _area_keys(self, org_id: int) -> tuple[tuple[str, int], ...]:
        area = self.areas[org_id]
        return (
            (AreaLevel.ORGANISATION, org_id),
            (AreaLevel.ICS, area.ics_id),
            (AreaLevel.REGION, area.region_id),
            (AreaLevel.NATIONAL, 0),
        )

    def _dimension_keys(self, org_id: int, level: str, band: str | None, staff_group: str | None):
        yield (ALL, "")
        if band is not None:
            yield ("pay_band", band)
        if staff_group is not None:
            yield ("staff_group", staff_group)
        if level != AreaLevel.ORGANISATION:
            yield ("organisation", self.areas[org_id].code)

    def _staff_rows(self, snapshot: Snapshot) -> Iterator[dict]:
        # Fold people into organisation-level keys first, so the wider areas add far fewer entries.
        totals: dict[tuple, list[int]] = {}
        for (org_id, band, staff_group, index, group, facts), people in self.staff_counts.items():
            breakdown = ALL if index < 0 else BREAKDOWN_KEYS[index]
            for level, area_id in self._area_keys(org_id):
                for dimension, key in self._dimension_keys(org_id, level, band, staff_group):
                    cube_key = (level, area_id, dimension, key, breakdown, group)
                    sums = totals.get(cube_key)
                    if sums is None:
                        sums = totals[cube_key] = [0] * len(STAFF_MEASURES)
                    for position, value in enumerate(facts):
                        if value:
                            sums[position] += value * people
        for (level, area_id, dimension, key, breakdown, group), sums in totals.items():
            yield dict(
                snapshot_id=snapshot.pk,
                area_level=level,
                area_id=area_id,
                dimension=dimension,
                dimension_key=key,
                breakdown=breakdown,
                group=group,
                **dict(zip(STAFF_MEASURES, sums, strict=True)),
            )

    def _distribution_rows(self, snapshot: Snapshot) -> Iterator[dict]:
        totals: Counter = Counter()
        for (org_id, band, staff_group, measure, category), people in self.distribution_all.items():
            for level, area_id in self._area_keys(org_id):
                for dimension, key in self._dimension_keys(org_id, level, band, staff_group):
                    totals[(level, area_id, dimension, key, ALL, "", measure, category)] += people
        for (org_id, index, group, measure, category), people in self.distribution_groups.items():
            for level, area_id in self._area_keys(org_id):
                totals[(level, area_id, ALL, "", BREAKDOWN_KEYS[index], group, measure, category)] += people
        for (level, area_id, dimension, key, breakdown, group, measure, category), people in totals.items():
            yield {
                "snapshot_id": snapshot.pk,
                "area_level": level,
                "area_id": area_id,
                "dimension": dimension,
                "dimension_key": key,
                "breakdown": breakdown,
                "group": group,
                "measure": measure,
                "category": category,
                "people": people,
            }

    def _year_rows(self, snapshot: Snapshot) -> Iterator[dict]:
        years = sorted({year for _org, year in self.year_counts})
        for org_id, staff in self.staff_by_organisation.items():
            for year in years:
                yield {
                    "snapshot_id": snapshot.pk,
                    "organisation_id": org_id,
                    "year": year,
                    "staff": staff,
                    "had_conversation": self.year_counts[(org_id, year)],
                }

    def _people_groups(self, user_ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
        """Equality groups of people who may no longer be in post (successors, applicants)."""
        wanted = set(user_ids)
        found = {
            user_id: self.groups_by_user[user_id] for user_id in wanted if user_id in self.groups_by_user
        }
        missing = wanted - found.keys()
        if missing:
            fields = [f"equality_profile__{field}" for field in EQUALITY_FIELDS]
            for user_id, *answers in User.objects.filter(pk__in=missing).values_list("pk", *fields):
                found[user_id] = groups_of(answers)
        return found

    def _succession_rows(self, snapshot: Snapshot) -> Iterator[dict]:
        rows = list(
            Successor.objects.filter(created_at__lt=self.cutoff).values_list(
                "critical_role_id", "critical_role__organisation_id", "individual_id", "readiness"
            )
        )
        groups = self._people_groups(user_id for _role, _org, user_id, _readiness in rows)
        totals: dict[tuple, Counter] = defaultdict(Counter)
        for role_id, org_id, user_id, readiness in rows:
            measure = _READINESS_MEASURE[readiness]
            totals[(role_id, org_id, ALL, "")][measure] += 1
            for breakdown, group in zip(BREAKDOWN_KEYS, groups[user_id], strict=True):
                totals[(role_id, org_id, breakdown, group)][measure] += 1
        for (role_id, org_id, breakdown, group), counts in totals.items():
            yield {
                "snapshot_id": snapshot.pk,
                "critical_role_id": role_id,
                "organisation_id": org_id,
                "breakdown": breakdown,
                "group": group,
                "ready_now": counts["ready_now"],
                "ready_one_to_two_years": counts["ready_one_to_two_years"],
                "ready_later": counts["ready_later"],
            }

    def _talent_pool_rows(self, snapshot: Snapshot) -> Iterator[dict]:
        window_start = end_of_day(self.as_of - datetime.timedelta(days=COVERAGE_WINDOW_DAYS))
        rows = list(
            TalentPoolMembership.objects.filter(created_at__lt=self.cutoff).values_list(
                "pool_id", "pool__organisation_id", "individual_id", "status", "created_at", "updated_at"
            )
        )
        groups = self._people_groups(row[2] for row in rows)
        totals: dict[tuple, Counter] = defaultdict(Counter)
        for pool_id, org_id, user_id, status, created_at, updated_at in rows:
            counts = Counter()
            if status in _ACTIVE_MEMBERSHIP:
                counts["members"] = 1
            if created_at >= window_start:
                counts["joined"] = 1
            if status in _GONE_MEMBERSHIP and window_start <= updated_at < self.cutoff:
                counts["left"] = 1
            totals[(pool_id, org_id, ALL, "")].update(counts)
            for breakdown, group in zip(BREAKDOWN_KEYS, groups[user_id], strict=True):
                totals[(pool_id, org_id, breakdown, group)].update(counts)
        for (pool_id, org_id, breakdown, group), counts in totals.items():
            yield {
                "snapshot_id": snapshot.pk,
                "pool_id": pool_id,
                "organisation_id": org_id,
                "breakdown": breakdown,
                "group": group,
                "members": counts["members"],
                "joined": counts["joined"],
                "left": counts["left"],
            }

    def _hps_rows(self, snapshot: Snapshot) -> Iterator[dict]:
        reached: dict[int, set[str]] = defaultdict(set)
        for application_id, status in (
            ApplicationTransition.objects.filter(at__lt=self.cutoff)
            .order_by()
            .values_list("application_id", "to_status")
            .iterator(chunk_size=20000)
        ):
            reached[application_id].add(status)
        completed = set(
            Participant.objects.filter(
                status=Participant.Status.COMPLETED, completed_at__lt=self.cutoff
            ).values_list("application_id", flat=True)
        )
        promoted = set(
            Destination.objects.filter(is_promotion=True, started_on__lte=self.as_of).values_list(
                "participant__application_id", flat=True
            )
        )
        applications = list(
            Application.objects.filter(pk__in=reached.keys()).values_list(
                "pk",
                "cohort_id",
                "applicant_id",
                "organisation_id",
                "applicant__staff_profile__organisation_id",
            )
        )
        groups = self._people_groups(row[2] for row in applications)
        totals: dict[tuple, Counter] = defaultdict(Counter)

        def add(cohort_id: int, org_id: int, user_groups: tuple[str, ...] | None, counts: Counter) -> None:
            for level, area_id in self._area_keys(org_id):
                totals[(cohort_id, level, area_id, ALL, "")].update(counts)
                if user_groups is not None:
                    for breakdown, group in zip(BREAKDOWN_KEYS, user_groups, strict=True):
                        totals[(cohort_id, level, area_id, breakdown, group)].update(counts)

        for pk, cohort_id, applicant_id, org_id, staff_org_id in applications:
            org_id = org_id or staff_org_id
            if org_id is None:
                continue
            statuses = reached[pk]
            counts = Counter(
                {
                    step: 1
                    for step, step_statuses in HPS_STEP_STATUSES.items()
                    if statuses.intersection(step_statuses)
                }
            )
            if pk in completed:
                counts["completed"] = 1
            if pk in promoted:
                counts["promoted"] = 1
            add(cohort_id, org_id, groups[applicant_id], counts)

        self._add_hps_eligible(totals)
        for (cohort_id, level, area_id, breakdown, group), counts in totals.items():
            yield dict(
                snapshot_id=snapshot.pk,
                cohort_id=cohort_id,
                area_level=level,
                area_id=area_id,
                breakdown=breakdown,
                group=group,
                **{step: counts[step] for step in HpsFunnelCube.STEPS},
            )

    def _add_hps_eligible(self, totals: dict[tuple, Counter]) -> None:
        """Staff in each cohort's ICS footprint and eligible bands, by area and equality group."""
        footprints: dict[int, set[int]] = defaultdict(set)
        for cohort_id, ics_id in Cohort.integrated_care_systems.through.objects.values_list(
            "cohort_id", "integratedcaresystem_id"
        ):
            footprints[cohort_id].add(ics_id)
        bands: dict[int, set[str]] = defaultdict(set)
        for cohort_id, code in Cohort.eligible_pay_bands.through.objects.values_list(
            "cohort_id", "payband__code"
        ):
            bands[cohort_id].add(code)
        # Staff counts by ICS and band first, so each cohort reads only the counts it covers.
        by_ics_band: dict[tuple[int, str], list[tuple[int, int, str, int]]] = defaultdict(list)
        for (org_id, band, index, group), people in self.band_counts.items():
            by_ics_band[(self.areas[org_id].ics_id, band)].append((org_id, index, group, people))
        for cohort_id in Cohort.objects.filter(opens_on__lte=self.as_of).values_list("pk", flat=True):
            for ics_id in footprints[cohort_id]:
                for band in bands[cohort_id]:
                    for org_id, index, group, people in by_ics_band.get((ics_id, band), ()):
                        breakdown = ALL if index < 0 else BREAKDOWN_KEYS[index]
                        for level, area_id in self._area_keys(org_id):
                            totals[(cohort_id, level, area_id, breakdown, group)]["eligible"] += people

    def rows(self, snapshot: Snapshot):
        yield StaffCube, self._staff_rows(snapshot)
        yield DistributionCube, self._distribution_rows(snapshot)
        yield OrganisationYearCoverage, self._year_rows(snapshot)
        yield SuccessionCube, self._succession_rows(snapshot)
        yield TalentPoolCube, self._talent_pool_rows(snapshot)
        yield HpsFunnelCube, self._hps_rows(snapshot)
