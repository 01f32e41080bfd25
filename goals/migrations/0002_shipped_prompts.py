"""The prompts the product ships with, in its own words. Districts and coordinators add
their own beside them; these have no district and no program."""

from django.db import migrations

PROMPTS = [
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


def add_prompts(apps, schema_editor):
    Prompt = apps.get_model("goals", "ReflectionPrompt")
    for kind, text in PROMPTS:
        if not Prompt.objects.filter(district__isnull=True, program__isnull=True,
                                     text=text).exists():
            Prompt.objects.create(kind=kind, text=text)


def remove_prompts(apps, schema_editor):
    Prompt = apps.get_model("goals", "ReflectionPrompt")
    Prompt.objects.filter(district__isnull=True, program__isnull=True,
                          text__in=[text for _, text in PROMPTS],
                          reflections__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("goals", "0001_initial")]

    operations = [migrations.RunPython(add_prompts, remove_prompts)]
