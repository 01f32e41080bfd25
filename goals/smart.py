"""The SMART check: reads a goal as it is being written and says what would sharpen it.

Pure: it takes the goal's words, numbers and dates, and the program's dates, and touches no
database, so the form, the htmx check and the tests all call the same function.

Each finding names the letter it is about (S, M, A, R, T), the field a writer would change,
what is missing and how to sharpen it. A goal with no findings is sharp; findings marked
`blocking` keep a goal from being made active (no measure, no date, a date outside the
program); the others are advice.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

# Words that say a direction without saying how far: "improve", "better", "more"...
VAGUE_WORDS = {
    "better", "improve", "improved", "improving", "improvement", "more", "less", "try",
    "trying", "understand", "understanding", "learn", "know", "feel", "good", "great",
    "stuff", "things", "something", "various", "some", "etc", "hopefully", "maybe",
    "enhance", "develop", "work", "focus", "explore", "aware", "awareness", "generally",
    # Spanish, for goals written in the other language the site speaks.
    "mejorar", "mejor", "más", "menos", "intentar", "entender", "aprender", "cosas",
    "algo", "algunos", "algunas", "quizás",
}
# Words that say what will be done or counted.
ACTION_WORDS = {
    "use", "teach", "plan", "give", "hold", "meet", "raise", "reduce", "increase",
    "decrease", "introduce", "run", "start", "post", "call", "write", "check", "track",
    "record", "lead", "model", "observe", "ask", "greet", "send", "set", "hand", "collect",
    "review", "practise", "practice", "design", "build", "schedule", "survey", "cut",
    "usar", "enseñar", "planificar", "dar", "reducir", "aumentar", "registrar", "revisar",
}
MIN_SPECIFIC_WORDS = 6
NUMBER = re.compile(r"\d")
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class Finding:
    letter: str
    field: str
    problem: str
    suggestion: str
    blocking: bool = False


@dataclass
class SmartCheck:
    findings: list = field(default_factory=list)

    @property
    def is_sharp(self):
        return not self.findings

    @property
    def blocking(self):
        return [f for f in self.findings if f.blocking]

    @property
    def can_activate(self):
        return not self.blocking

    def letters(self):
        """[(letter, name, ok)] in SMART order, for the checklist beside the form."""
        flagged = {f.letter for f in self.findings}
        return [(letter, name, letter not in flagged) for letter, name in LETTERS]

    def for_field(self, name):
        return [f for f in self.findings if f.field == name]


LETTERS = [("S", _("Specific")), ("M", _("Measurable")), ("A", _("Achievable")),
           ("R", _("Relevant")), ("T", _("Time-bound"))]


def words(text):
    return [w.lower() for w in WORD.findall(text or "")]


def check_goal(*, specific: str = "", measure: str = "", baseline: Decimal | None = None,
               target: Decimal | None = None, relevance: str = "", due_on: date | None = None,
               action_steps: int = 0, program_starts_on: date | None = None,
               program_ends_on: date | None = None, today: date | None = None) -> SmartCheck:
    """What would make this goal SMART. `action_steps` is how many it has (a new goal has
    none yet: the advice to add some is given once it exists)."""
    result = SmartCheck()
    add = result.findings.append
    specific_words = words(specific)
    vague = sorted(set(specific_words) & VAGUE_WORDS)
    # A number in the measure or a target makes it measurable; in the wording ("from 40%
    # to 70%") it also makes words such as "improve" precise enough.
    measurable = target is not None or bool(NUMBER.search(measure or ""))
    has_number = measurable or bool(NUMBER.search(specific or ""))

    # S: specific
    if not specific_words:
        add(Finding("S", "specific", _("The goal does not say what you will do yet."),
                    _("Write one sentence: what you will do, with whom, and what changes."),
                    blocking=True))
    elif len(specific_words) < MIN_SPECIFIC_WORDS:
        add(Finding("S", "specific", _("The goal is very short."),
                    _("Say what you will do, with which class or students, and what "
                      "should change.")))
    if vague and not has_number:
        add(Finding("S", "specific",
                    _("Vague wording: “%(words)s” says a direction, not how far.")
                    % {"words": ", ".join(vague)},
                    _("Replace it with what you will see: for example “raise on-time "
                      "homework from 40% to 70% of my students”.")))

    # M: measurable
    if not (measure or "").strip():
        add(Finding("M", "measure", _("There is no measure."),
                    _("Name what you will count or score, for example: the share of "
                      "students who hand in homework on time."), blocking=True))
    if not measurable:
        add(Finding("M", "target", _("There is no number to measure against."),
                    _("Give a target (and where you start from), so progress can be "
                      "charted."), blocking=True))
    elif target is not None and baseline is not None and target == baseline:
        add(Finding("M", "target", _("The target is the same as where you start."),
                    _("Set the target where you want to be by the date.")))

    # A: achievable, action-based
    if specific_words and not set(specific_words) & ACTION_WORDS and action_steps == 0:
        add(Finding("A", "specific", _("No action is named yet."),
                    _("Start with a verb for what you will do (use, teach, hold, "
                      "track...), then add action steps with dates.")))

    # R: relevant
    if len(words(relevance)) < 3:
        add(Finding("R", "relevance", _("It does not say why it matters."),
                    _("Say how it helps your students and which program aim it serves.")))

    # T: time-bound
    if due_on is None:
        add(Finding("T", "due_on", _("There is no date."),
                    _("Choose the date by which you mean to reach the target."),
                    blocking=True))
    elif program_starts_on and program_ends_on and not (
            program_starts_on <= due_on <= program_ends_on):
        add(Finding("T", "due_on", _("The date is outside the program."),
                    _("Choose a date from %(start)s to %(end)s.") % {
                        "start": date_format(program_starts_on, "DATE_FORMAT"),
                        "end": date_format(program_ends_on, "DATE_FORMAT")},
                    blocking=True))
    elif today and due_on < today:
        add(Finding("T", "due_on", _("The date has passed."),
                    _("Choose a date still ahead of you.")))
    return result
