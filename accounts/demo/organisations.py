"""The demo organisations (real names and ODS codes) and the shape of their management structures.

Each organisation has a chief executive, directors (VSM, band 9 or 8d), heads of service or
matrons (bands 8b-8c, or a clinical director), team managers (bands 7-8a, or a consultant) and
team members (bands 2-6, or doctors in training and specialty doctors). Team members are taken
in turn from each team's list, so the first member of every team is always the first post listed.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Post:
    title: str
    pay_band: str
    staff_group: str


@dataclass(frozen=True)
class Team:
    manager: Post
    members: tuple[Post, ...]
    # Relative share of the organisation's team members this team gets.
    size: int = 1


@dataclass(frozen=True)
class Service:
    head: Post
    teams: tuple[Team, ...]


@dataclass(frozen=True)
class Directorate:
    director: Post
    services: tuple[Service, ...]


@dataclass(frozen=True)
class OrganisationPlan:
    code: str
    name: str
    organisation_type: str
    integrated_care_system: str
    chief_executive: Post
    directorates: tuple[Directorate, ...]
    # Relative share of the staff above each organisation's minimum.
    weight: int

    @property
    def services(self) -> list[Service]:
        return [service for directorate in self.directorates for service in directorate.services]

    @property
    def teams(self) -> list[Team]:
        return [team for service in self.services for team in service.teams]

    @property
    def leader_count(self) -> int:
        return 1 + len(self.directorates) + len(self.services) + len(self.teams)

    @property
    def minimum_staff(self) -> int:
        """Every leader plus one member in each team."""
        return self.leader_count + len(self.teams)


CHIEF_EXECUTIVE = Post("Chief executive", "VSM", "SENIOR_MANAGERS")

WARD = Team(
    Post("Ward manager", "AFC7", "NURSES"),
    (
        Post("Senior staff nurse", "AFC6", "NURSES"),
        Post("Staff nurse", "AFC5", "NURSES"),
        Post("Healthcare assistant", "AFC2", "SUPPORT_DNM"),
        Post("Staff nurse", "AFC5", "NURSES"),
        Post("Nursing associate", "AFC4", "SUPPORT_DNM"),
        Post("Senior healthcare assistant", "AFC3", "SUPPORT_DNM"),
        Post("Staff nurse", "AFC5", "NURSES"),
        Post("Healthcare assistant", "AFC2", "SUPPORT_DNM"),
    ),
    size=4,
)
MIDWIFERY_TEAM = Team(
    Post("Community midwifery team leader", "AFC7", "MIDWIVES"),
    (
        Post("Midwife", "AFC6", "MIDWIVES"),
        Post("Maternity support worker", "AFC3", "SUPPORT_DNM"),
        Post("Midwife", "AFC5", "MIDWIVES"),
    ),
    size=2,
)
EMERGENCY_DEPARTMENT = Team(
    Post("Emergency department manager", "AFC8A", "NURSES"),
    (
        Post("Emergency department paramedic", "AFC6", "AMBULANCE"),
        Post("Staff nurse", "AFC5", "NURSES"),
        Post("Emergency department assistant", "AFC3", "SUPPORT_DNM"),
        Post("Senior staff nurse", "AFC6", "NURSES"),
    ),
    size=3,
)
FINANCE = Service(
    Post("Head of financial management", "AFC8C", "SENIOR_MANAGERS"),
    (
        Team(
            Post("Finance manager", "AFC8A", "MANAGERS"),
            (
                Post("Management accountant", "AFC6", "CENTRAL"),
                Post("Finance assistant", "AFC3", "CENTRAL"),
                Post("Payroll officer", "AFC4", "CENTRAL"),
                Post("Finance officer", "AFC5", "CENTRAL"),
            ),
            size=2,
        ),
    ),
)
PEOPLE = Service(
    Post("Head of organisational development", "AFC8B", "SENIOR_MANAGERS"),
    (
        Team(
            Post("Learning and wellbeing manager", "AFC7", "MANAGERS"),
            (
                Post("Learning and development facilitator", "AFC5", "CENTRAL"),
                Post("Chaplain", "AFC6", "OTHER"),
                Post("Recruitment officer", "AFC4", "CENTRAL"),
                Post("HR adviser", "AFC5", "CENTRAL"),
            ),
        ),
    ),
)
PHYSIOTHERAPY = Team(
    Post("Physiotherapy team lead", "AFC7", "STT"),
    (
        Post("Physiotherapist", "AFC6", "STT"),
        Post("Therapy assistant", "AFC3", "SUPPORT_STT"),
        Post("Occupational therapist", "AFC6", "STT"),
        Post("Physiotherapist", "AFC5", "STT"),
    ),
    size=2,
)
RADIOGRAPHY = Team(
    Post("Radiography team lead", "AFC7", "STT"),
    (
        Post("Diagnostic radiographer", "AFC6", "STT"),
        Post("Radiography assistant", "AFC3", "SUPPORT_STT"),
        Post("Diagnostic radiographer", "AFC5", "STT"),
    ),
    size=2,
)
ESTATES_AND_FACILITIES = Service(
    Post("Head of estates and facilities", "AFC8C", "ESTATES"),
    (
        Team(
            Post("Facilities manager", "AFC7", "ESTATES"),
            (
                Post("Porter", "AFC2", "ESTATES"),
                Post("Domestic assistant", "AFC2", "ESTATES"),
                Post("Facilities supervisor", "AFC4", "ESTATES"),
                Post("Catering assistant", "AFC2", "ESTATES"),
                Post("Electrician", "AFC4", "ESTATES"),
            ),
            size=3,
        ),
    ),
)


def _medical_team(consultant: str, registrar: str, size: int = 2) -> Team:
    return Team(
        Post(consultant, "MED_CONSULTANT", "DOCTORS"),
        (
            Post(registrar, "MED_RESIDENT", "DOCTORS"),
            Post("Specialty doctor", "MED_SAS", "DOCTORS"),
            Post("Foundation doctor", "MED_RESIDENT", "DOCTORS"),
        ),
        size=size,
    )


def _acute_trust(code: str, name: str, organisation_type: str, ics: str, weight: int) -> OrganisationPlan:
    return OrganisationPlan(
        code=code,
        name=name,
        organisation_type=organisation_type,
        integrated_care_system=ics,
        chief_executive=CHIEF_EXECUTIVE,
        weight=weight,
        directorates=(
            Directorate(
                Post("Chief nurse", "VSM", "NURSES"),
                (
                    Service(Post("Matron, medicine", "AFC8B", "NURSES"), (WARD, WARD)),
                    Service(Post("Head of midwifery", "AFC8C", "MIDWIVES"), (MIDWIFERY_TEAM,)),
                    Service(Post("Matron, emergency department", "AFC8B", "NURSES"), (EMERGENCY_DEPARTMENT,)),
                ),
            ),
            Directorate(
                Post("Medical director", "VSM", "DOCTORS"),
                (
                    Service(
                        Post("Clinical director, medicine", "MED_CONSULTANT", "DOCTORS"),
                        (
                            _medical_team("Consultant cardiologist", "Specialty registrar in cardiology"),
                            _medical_team(
                                "Consultant in emergency medicine",
                                "Specialty registrar in emergency medicine",
                            ),
                        ),
                    ),
                ),
            ),
            Directorate(
                Post("Chief operating officer", "VSM", "SENIOR_MANAGERS"),
                (
                    Service(
                        Post("Head of operations, surgery", "AFC8C", "SENIOR_MANAGERS"),
                        (
                            Team(
                                Post("Directorate manager, surgery", "AFC8A", "MANAGERS"),
                                (
                                    Post("Service manager", "AFC7", "MANAGERS"),
                                    Post("Medical secretary", "AFC4", "SUPPORT_DNM"),
                                    Post("Booking clerk", "AFC3", "CENTRAL"),
                                ),
                                size=2,
                            ),
                        ),
                    ),
                    Service(Post("Head of therapies", "AFC8B", "STT"), (PHYSIOTHERAPY, RADIOGRAPHY)),
                    ESTATES_AND_FACILITIES,
                ),
            ),
            Directorate(Post("Director of finance", "VSM", "SENIOR_MANAGERS"), (FINANCE,)),
            Directorate(Post("Director of people", "AFC9", "SENIOR_MANAGERS"), (PEOPLE,)),
        ),
    )


def _mental_health_trust(
    code: str, name: str, organisation_type: str, ics: str, weight: int
) -> OrganisationPlan:
    return OrganisationPlan(
        code=code,
        name=name,
        organisation_type=organisation_type,
        integrated_care_system=ics,
        chief_executive=CHIEF_EXECUTIVE,
        weight=weight,
        directorates=(
            Directorate(
                Post("Chief nurse", "VSM", "NURSES"),
                (
                    Service(
                        Post("Matron, adult mental health", "AFC8B", "NURSES"),
                        (
                            Team(
                                Post("Ward manager", "AFC7", "NURSES"),
                                (
                                    Post("Deputy ward manager", "AFC6", "NURSES"),
                                    Post("Mental health nurse", "AFC5", "NURSES"),
                                    Post("Healthcare support worker", "AFC3", "SUPPORT_DNM"),
                                    Post("Mental health nurse", "AFC5", "NURSES"),
                                    Post("Healthcare support worker", "AFC2", "SUPPORT_DNM"),
                                ),
                                size=4,
                            ),
                        ),
                    ),
                    Service(
                        Post("Head of community mental health", "AFC8C", "NURSES"),
                        (
                            Team(
                                Post("Community mental health team manager", "AFC7", "NURSES"),
                                (
                                    Post("Community mental health nurse", "AFC6", "NURSES"),
                                    Post("Occupational therapist", "AFC6", "STT"),
                                    Post("Support, time and recovery worker", "AFC3", "SUPPORT_DNM"),
                                    Post("Assistant psychologist", "AFC4", "STT"),
                                ),
                                size=3,
                            ),
                        ),
                    ),
                ),
            ),
            Directorate(
                Post("Medical director", "VSM", "DOCTORS"),
                (
                    Service(
                        Post("Clinical director, adult mental health", "MED_CONSULTANT", "DOCTORS"),
                        (_medical_team("Consultant psychiatrist", "Core trainee in psychiatry"),),
                    ),
                ),
            ),
            Directorate(Post("Director of finance", "VSM", "SENIOR_MANAGERS"), (FINANCE,)),
            Directorate(
                Post("Director of people", "AFC9", "SENIOR_MANAGERS"),
                (
                    Service(
                        Post("Head of leadership and organisational development", "AFC8B", "SENIOR_MANAGERS"),
                        PEOPLE.teams,
                    ),
                ),
            ),
        ),
    )


def _community_trust(code: str, name: str, ics: str, weight: int) -> OrganisationPlan:
    return OrganisationPlan(
        code=code,
        name=name,
        organisation_type="NHS_TRUST",
        integrated_care_system=ics,
        chief_executive=CHIEF_EXECUTIVE,
        weight=weight,
        directorates=(
            Directorate(
                Post("Director of nursing and clinical services", "VSM", "NURSES"),
                (
                    Service(
                        Post("Head of community nursing", "AFC8C", "NURSES"),
                        (
                            Team(
                                Post("District nursing team leader", "AFC7", "NURSES"),
                                (
                                    Post("District nurse", "AFC6", "NURSES"),
                                    Post("Community staff nurse", "AFC5", "NURSES"),
                                    Post("Healthcare assistant", "AFC3", "SUPPORT_DNM"),
                                    Post("Community staff nurse", "AFC5", "NURSES"),
                                ),
                                size=4,
                            ),
                            Team(
                                Post("Minor injuries unit manager", "AFC7", "NURSES"),
                                (
                                    Post("Paramedic", "AFC6", "AMBULANCE"),
                                    Post("Staff nurse", "AFC5", "NURSES"),
                                    Post("Healthcare assistant", "AFC2", "SUPPORT_DNM"),
                                ),
                                size=2,
                            ),
                        ),
                    ),
                    Service(
                        Post("Head of therapies", "AFC8B", "STT"),
                        (
                            Team(
                                Post("Community therapy team lead", "AFC7", "STT"),
                                (
                                    Post("Physiotherapist", "AFC6", "STT"),
                                    Post("Podiatrist", "AFC6", "STT"),
                                    Post("Therapy assistant", "AFC3", "SUPPORT_STT"),
                                    Post("Speech and language therapist", "AFC6", "STT"),
                                    Post("Occupational therapist", "AFC5", "STT"),
                                ),
                                size=3,
                            ),
                        ),
                    ),
                ),
            ),
            Directorate(
                Post("Medical director", "VSM", "DOCTORS"),
                (
                    Service(
                        Post("Clinical director, community services", "MED_CONSULTANT", "DOCTORS"),
                        (_medical_team("Consultant geriatrician", "GP specialty trainee", size=1),),
                    ),
                ),
            ),
            Directorate(Post("Director of finance and resources", "AFC9", "SENIOR_MANAGERS"), (FINANCE,)),
        ),
    )


def _orthopaedic_trust(code: str, name: str, ics: str, weight: int) -> OrganisationPlan:
    return OrganisationPlan(
        code=code,
        name=name,
        organisation_type="NHS_FT",
        integrated_care_system=ics,
        chief_executive=CHIEF_EXECUTIVE,
        weight=weight,
        directorates=(
            Directorate(
                Post("Chief nurse", "VSM", "NURSES"),
                (Service(Post("Matron, orthopaedics", "AFC8B", "NURSES"), (WARD,)),),
            ),
            Directorate(
                Post("Medical director", "VSM", "DOCTORS"),
                (
                    Service(
                        Post("Clinical director, orthopaedics", "MED_CONSULTANT", "DOCTORS"),
                        (
                            _medical_team(
                                "Consultant orthopaedic surgeon",
                                "Specialty registrar in trauma and orthopaedics",
                            ),
                        ),
                    ),
                ),
            ),
            Directorate(
                Post("Chief operating officer", "VSM", "SENIOR_MANAGERS"),
                (
                    Service(Post("Head of therapies", "AFC8B", "STT"), (PHYSIOTHERAPY,)),
                    ESTATES_AND_FACILITIES,
                ),
            ),
            Directorate(Post("Director of finance", "AFC8D", "SENIOR_MANAGERS"), (FINANCE,)),
        ),
    )


def _integrated_care_board(code: str, name: str, weight: int) -> OrganisationPlan:
    return OrganisationPlan(
        code=code,
        name=name,
        organisation_type="ICB",
        integrated_care_system=code,
        chief_executive=CHIEF_EXECUTIVE,
        weight=weight,
        directorates=(
            Directorate(
                Post("Chief nursing officer", "VSM", "NURSES"),
                (
                    Service(
                        Post("Head of quality and safeguarding", "AFC8C", "NURSES"),
                        (
                            Team(
                                Post("Quality lead", "AFC8A", "NURSES"),
                                (
                                    Post("Continuing healthcare nurse assessor", "AFC6", "NURSES"),
                                    Post("Quality assurance officer", "AFC5", "CENTRAL"),
                                    Post("Administrator", "AFC3", "CENTRAL"),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
            Directorate(Post("Chief finance officer", "VSM", "SENIOR_MANAGERS"), (FINANCE,)),
            Directorate(
                Post("Director of people", "AFC8D", "SENIOR_MANAGERS"),
                (
                    Service(
                        Post("Head of talent management", "AFC8B", "SENIOR_MANAGERS"),
                        (
                            Team(
                                Post("Leadership and talent programme manager", "AFC7", "MANAGERS"),
                                (
                                    Post("Programme coordinator", "AFC5", "CENTRAL"),
                                    Post("Workforce information analyst", "AFC6", "CENTRAL"),
                                    Post("Programme administrator", "AFC4", "CENTRAL"),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )


def _local_authority(code: str, name: str, ics: str, weight: int) -> OrganisationPlan:
    # Council staff are on local government pay scales, recorded as the LA pay band.
    return OrganisationPlan(
        code=code,
        name=name,
        organisation_type="LOCAL_AUTHORITY",
        integrated_care_system=ics,
        chief_executive=Post("Chief executive", "LA", "SENIOR_MANAGERS"),
        weight=weight,
        directorates=(
            Directorate(
                Post("Director of adult social care", "LA", "SENIOR_MANAGERS"),
                (
                    Service(
                        Post("Head of adult social work", "LA", "SENIOR_MANAGERS"),
                        (
                            Team(
                                Post("Social work team manager", "LA", "MANAGERS"),
                                (
                                    Post("Social worker", "LA", "OTHER"),
                                    Post("Reablement support worker", "LA", "OTHER"),
                                    Post("Occupational therapist", "LA", "STT"),
                                    Post("Care coordinator", "LA", "OTHER"),
                                ),
                                size=3,
                            ),
                        ),
                    ),
                ),
            ),
            Directorate(
                Post("Director of public health", "LA", "SENIOR_MANAGERS"),
                (
                    Service(
                        Post("Consultant in public health", "LA", "SENIOR_MANAGERS"),
                        (
                            Team(
                                Post("Health improvement manager", "LA", "MANAGERS"),
                                (
                                    Post("Health improvement practitioner", "LA", "OTHER"),
                                    Post("Public health analyst", "LA", "CENTRAL"),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )


ORGANISATIONS: tuple[OrganisationPlan, ...] = (
    # Staffordshire and Stoke-on-Trent
    _acute_trust("RJE", "University Hospitals of North Midlands NHS Trust", "NHS_TRUST", "QNC", weight=12),
    _mental_health_trust(
        "RRE", "Midlands Partnership University NHS Foundation Trust", "NHS_FT", "QNC", weight=8
    ),
    _mental_health_trust(
        "RLY", "North Staffordshire Combined Healthcare NHS Trust", "NHS_TRUST", "QNC", weight=3
    ),
    _integrated_care_board("QNC", "NHS Staffordshire and Stoke-on-Trent Integrated Care Board", weight=2),
    # Shropshire, Telford and Wrekin
    _acute_trust("RXW", "The Shrewsbury and Telford Hospital NHS Trust", "NHS_TRUST", "QOC", weight=10),
    _community_trust("R1D", "Shropshire Community Health NHS Trust", "QOC", weight=4),
    _orthopaedic_trust(
        "RL1", "The Robert Jones and Agnes Hunt Orthopaedic Hospital NHS Foundation Trust", "QOC", weight=3
    ),
    _integrated_care_board("QOC", "NHS Shropshire, Telford and Wrekin Integrated Care Board", weight=1),
    # Local authorities have no ODS trust code; this is the council's ONS GSS code.
    _local_authority("E06000020", "Telford & Wrekin Council", "QOC", weight=1),
)
