"""The nine program models and the settings each one starts from.

A model is only a preset: choosing one fills in a program's settings, and the coordinator
may change any of them afterwards (the program page shows which ones differ).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgramModel(models.TextChoices):
    ONE_ON_ONE = "one_on_one", _("One-on-one")
    GROUP = "group", _("Group mentoring")
    PEER = "peer", _("Peer mentoring")
    REVERSE = "reverse", _("Reverse mentoring")
    SCHOOL_BASED = "school_based", _("School-based")
    DISTRICT_BASED = "district_based", _("District-based")
    LEARNING_TEAM = "learning_team", _("Learning team")
    COHORT = "cohort", _("Cohort")
    PEER_COLLABORATION = "peer_collaboration", _("Peer collaboration")


class MatchedBy(models.TextChoices):
    COORDINATOR = "coordinator", _("The coordinator")
    SCHOOL_REP = "school_rep", _("The school's mentoring rep")
    STEERING_COMMITTEE = "steering_committee", _("The steering committee")
    TEAM_LEADS = "team_leads", _("Team leads")
    SELF = "self", _("Participants choose each other")


class MatchingScope(models.TextChoices):
    SCHOOL = "school", _("Within one school")
    DISTRICT = "district", _("Across the district")
    TEAM = "team", _("Within a team")


class PairingShape(models.TextChoices):
    ONE_TO_ONE = "one_to_one", _("One mentor, one mentee")
    ONE_TO_MANY = "one_to_many", _("One mentor, several mentees")
    PEERS = "peers", _("Peers in pairs")
    TEAMS = "teams", _("Teams")


DESCRIPTIONS = {
    ProgramModel.ONE_ON_ONE: _(
        "A coordinator pairs each new teacher with one experienced mentor from anywhere in "
        "the district."),
    ProgramModel.GROUP: _(
        "One mentor works with a small group of mentees, with regular group sessions."),
    ProgramModel.PEER: _(
        "Teachers at a similar stage support each other; each is mentor and mentee."),
    ProgramModel.REVERSE: _(
        "Less experienced teachers mentor experienced colleagues on a focus such as "
        "technology."),
    ProgramModel.SCHOOL_BASED: _(
        "Each school's mentoring rep pairs teachers within the school; release time is "
        "logged."),
    ProgramModel.DISTRICT_BASED: _(
        "Teachers apply naming preferred mentors; a steering committee matches across "
        "schools by grade and subject."),
    ProgramModel.LEARNING_TEAM: _(
        "Teams with two or three lead mentors meet several times a year; any member may "
        "pair with a lead."),
    ProgramModel.COHORT: _(
        "A cohort meets as a whole group, in sub-teams and one-on-one, with mentor "
        "training workshops."),
    ProgramModel.PEER_COLLABORATION: _(
        "Teams of peers from distant schools collaborate on release days and in an "
        "online team hub."),
}

# Settings a program model fills in. Cadences are in days; protected time in minutes per
# participant per month.
PRESET_FIELDS = [
    "matched_by", "matching_scope", "pairing_shape", "mentor_capacity",
    "checkin_cadence_days", "observation_cycles_per_term", "reflection_cadence_days",
    "protected_minutes_per_month", "asks_mentor_preferences", "has_group_sessions",
    "logs_release_time", "has_hub",
]

_BASE = {
    "matched_by": MatchedBy.COORDINATOR,
    "matching_scope": MatchingScope.DISTRICT,
    "pairing_shape": PairingShape.ONE_TO_ONE,
    "mentor_capacity": 1,
    "checkin_cadence_days": 14,
    "observation_cycles_per_term": 1,
    "reflection_cadence_days": 14,
    "protected_minutes_per_month": 120,
    "asks_mentor_preferences": False,
    "has_group_sessions": False,
    "logs_release_time": False,
    "has_hub": False,
}

PRESETS = {
    ProgramModel.ONE_ON_ONE: {**_BASE, "checkin_cadence_days": 7},
    ProgramModel.GROUP: {
        **_BASE, "pairing_shape": PairingShape.ONE_TO_MANY, "mentor_capacity": 4,
        "has_group_sessions": True,
    },
    ProgramModel.PEER: {
        **_BASE, "pairing_shape": PairingShape.PEERS, "matching_scope": MatchingScope.SCHOOL,
        "observation_cycles_per_term": 2,
    },
    ProgramModel.REVERSE: {**_BASE, "observation_cycles_per_term": 0},
    ProgramModel.SCHOOL_BASED: {
        **_BASE, "matched_by": MatchedBy.SCHOOL_REP, "matching_scope": MatchingScope.SCHOOL,
        "checkin_cadence_days": 7, "logs_release_time": True,
        "protected_minutes_per_month": 240,
    },
    ProgramModel.DISTRICT_BASED: {
        **_BASE, "matched_by": MatchedBy.STEERING_COMMITTEE, "asks_mentor_preferences": True,
    },
    ProgramModel.LEARNING_TEAM: {
        **_BASE, "matched_by": MatchedBy.TEAM_LEADS, "matching_scope": MatchingScope.TEAM,
        "pairing_shape": PairingShape.TEAMS, "mentor_capacity": 6,
        "checkin_cadence_days": 30, "has_group_sessions": True,
    },
    ProgramModel.COHORT: {
        **_BASE, "matching_scope": MatchingScope.TEAM, "pairing_shape": PairingShape.TEAMS,
        "mentor_capacity": 3, "has_group_sessions": True, "asks_mentor_preferences": True,
    },
    ProgramModel.PEER_COLLABORATION: {
        **_BASE, "matched_by": MatchedBy.SELF, "matching_scope": MatchingScope.TEAM,
        "pairing_shape": PairingShape.TEAMS, "checkin_cadence_days": 30,
        "logs_release_time": True, "has_hub": True, "has_group_sessions": True,
        "protected_minutes_per_month": 360,
    },
}
