"""Give back the persons that 'Change the plan' dropped from copied goals.

A new draft copied each goal without its persons. Where a goal has no persons and the
version it was copied from still has the same goal (same key) with persons, the persons
are copied forward. Versions are walked in order so a chain 1 -> 2 -> 3 is repaired whole.
"""
from django.db import migrations
from django.db.models import F


def repair(apps, schema_editor):
    PlanVersion = apps.get_model("plans", "PlanVersion")
    Goal = apps.get_model("plans", "Goal")
    Through = Goal.persons.through
    versions = (PlanVersion.objects.exclude(based_on=None)
                .order_by("plan_id", F("number").asc(nulls_last=True), "id").values_list("pk", "based_on_id"))
    for version_id, based_on_id in versions.iterator():
        empty = Goal.objects.filter(version_id=version_id, persons=None)
        for goal_id, key in empty.values_list("pk", "key"):
            source = Goal.objects.filter(version_id=based_on_id, key=key).first()
            if source is None:
                continue
            Through.objects.bulk_create(
                [Through(goal_id=goal_id, person_id=pid)
                 for pid in source.persons.values_list("pk", flat=True)])


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(repair, migrations.RunPython.noop)]
