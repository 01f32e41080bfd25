from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat


def name_goals_by_number(apps, schema_editor):
    # The admin's log once named a goal by its words; it names it by its number now.
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    goal_type = ContentType.objects.filter(app_label="goals", model="goal").first()
    if goal_type is None:
        return
    LogEntry.objects.filter(content_type=goal_type).update(
        object_repr=Concat(Value("Goal "), F("object_id")))


class Migration(migrations.Migration):

    dependencies = [
        ("goals", "0003_reflection_shared_at"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(name_goals_by_number, migrations.RunPython.noop),
    ]
