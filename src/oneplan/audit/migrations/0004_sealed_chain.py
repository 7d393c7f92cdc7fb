"""Audit events are written without a lock and sealed into the chain afterwards.

`id` now comes from the database; `seq` is the place in the chain, set once by the sealer
(`audit.services.seal`). Events written before this migration were chained as they were written
(their id was their place), so they get seq = id. The triggers now let exactly one change
through: the sealer setting seq and the two hashes of an event that has none yet.
"""
from django.core.management.color import no_style
from django.db import migrations, models

CONTENT = ["id", "at", "actor_id", "actor_label", "organisation_id", "organisation_label", "action",
           "object_type", "object_id", "family_id", "person_id", "category", "outcome", "reason"]

SQLITE_DROP = "DROP TRIGGER IF EXISTS audit_event_no_update;"
SQLITE_UP = (
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent "
    "WHEN OLD.seq IS NOT NULL OR NEW.seq IS NULL OR "
    + " OR ".join(f'NEW."{c}" IS NOT OLD."{c}"' for c in CONTENT)
    + " BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"
)
SQLITE_OLD = """
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""

_new = ", ".join(f'NEW."{c}"' for c in CONTENT)
_old = ", ".join(f'OLD."{c}"' for c in CONTENT)
PG_UP = f"""
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
     AND ROW({_new}) IS NOT DISTINCT FROM ROW({_old}) THEN
    RETURN NEW;  -- the sealer placing an event in the chain, once
  END IF;
  RAISE EXCEPTION 'audit events are append-only';
END; $$ LANGUAGE plpgsql;
"""
PG_OLD = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;
"""


def _continue_ids(apps, schema_editor):
    """The new id sequence starts after the events already written (PostgreSQL starts it at 1)."""
    connection = schema_editor.connection
    for sql in connection.ops.sequence_reset_sql(no_style(), [apps.get_model("audit", "AuditEvent")]):
        schema_editor.execute(sql)


def _run(sql_by_vendor):
    def run(apps, schema_editor):
        sql = sql_by_vendor.get(schema_editor.connection.vendor)
        if sql:
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_family_at_index'),
    ]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE_DROP}), _run({"sqlite": SQLITE_OLD})),
        migrations.RenameField(
            model_name='chainhead',
            old_name='last_id',
            new_name='last_seq',
        ),
        migrations.AddField(
            model_name='auditevent',
            name='seq',
            field=models.BigIntegerField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='id',
            field=models.BigAutoField(primary_key=True, serialize=False),
        ),
        migrations.RunPython(_continue_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='auditevent',
            name='prev_hash',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(condition=models.Q(('seq__isnull', True)), fields=['id'], name='audit_unsealed_idx'),
        ),
        migrations.RunPython(_run({"postgresql": PG_UP}), _run({"postgresql": PG_OLD})),
        migrations.RunSQL("UPDATE audit_auditevent SET seq = id", migrations.RunSQL.noop),
        migrations.RunPython(_run({"sqlite": SQLITE_UP}), _run({"sqlite": SQLITE_DROP})),
    ]
