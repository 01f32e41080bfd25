from django.db import migrations, models
from django.db.models import F


def shared_when_last_changed(apps, schema_editor):
    # When an entry was shared is not known for entries written before: the last change is
    # the latest it can have been, so a past partner is never shown more than before.
    Reflection = apps.get_model("goals", "Reflection")
    Reflection.objects.exclude(visibility="private").update(shared_at=F("updated_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("goals", "0002_shipped_prompts"),
    ]

    operations = [
        migrations.AddField(
            model_name="reflection",
            name="shared_at",
            field=models.DateTimeField(blank=True, editable=False, null=True,
                                       verbose_name="shared"),
        ),
        migrations.RunPython(shared_when_last_changed, migrations.RunPython.noop),
    ]
