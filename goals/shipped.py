"""The reflection prompts the product ships with, in its own words (no district, no
program). Migration 0002 adds them on every installation; `ensure_shipped_prompts` puts
back any that are missing (the demo calls it, and tests after a browser test has emptied
the tables)."""

from .models import ReflectionPrompt

SHIPPED_PROMPTS = [
    ("opener", "What worked in your classroom this week, and how do you know it worked?"),
    ("opener", "Which moment with a student this week are you proud of?"),
    ("opener", "What strength of yours did your students see this week?"),
    ("coaching", "What is one thing you would do differently if you taught that lesson "
                 "again tomorrow?"),
    ("coaching", "Where did you notice students getting stuck, and what did you try?"),
    ("coaching", "What question would you like to bring to your next check-in, and why "
                 "does it matter now?"),
    ("coaching", "Which step toward your goal did you take, and what did it show you?"),
    ("coaching", "What support would make the biggest difference to you in the coming "
                 "weeks?"),
    ("equity", "Whose voices were heard most in your class this week, and whose were "
               "heard least?"),
    ("equity", "Which of your expectations of a student did something this week "
               "challenge?"),
    ("equity", "How did your lessons this week draw on your students' languages, "
               "cultures and lives outside school?"),
    ("equity", "Which students might experience a classroom routine differently from "
               "how you intend it?"),
    ("closer", "What will you keep doing next week because it is working?"),
    ("closer", "What are you looking forward to trying next?"),
    ("closer", "Looking back over this stretch of the year, what have you learned about "
               "yourself as a teacher?"),
]


def ensure_shipped_prompts():
    """Create the shipped prompts that are missing; returns how many were created."""
    existing = set(ReflectionPrompt.objects.filter(
        district__isnull=True, program__isnull=True).values_list("text", flat=True))
    missing = [ReflectionPrompt(kind=kind, text=text) for kind, text in SHIPPED_PROMPTS
               if text not in existing]
    ReflectionPrompt.objects.bulk_create(missing)
    return len(missing)
