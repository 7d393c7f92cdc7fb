"""The keyed chain, the Merkle tree and its checkpoints; DELETE refused on SQLite too.

Events sealed so far keep their unkeyed SHA-256 links (key_id empty): rewriting sealed history
is exactly what the log must never allow, so they stay verifiable as they are and the signed
checkpoints say how many there are. The sealer puts them into the Merkle tree before anything
new (`services.seal`), then seals new events with the audit key.

SQLite rebuilds the table to add a NOT NULL column, which drops its triggers: they are dropped
first and made again at the end, now with one against DELETE. PostgreSQL refused UPDATE and
DELETE already; TRUNCATE (which skips row triggers) is refused now too. Django's test flush
empties tables with DELETE (SQLite) or TRUNCATE (PostgreSQL): the test suite's own database
backends (tests/backends/) step around these triggers for a flush; oneplan's never do.
"""
from django.db import migrations, models

CONTENT = ["id", "at", "actor_id", "actor_label", "organisation_id", "organisation_label", "action",
           "object_type", "object_id", "family_id", "person_id", "category", "outcome", "reason"]

SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_event_no_update;", "DROP TRIGGER IF EXISTS audit_event_no_delete;"]
SQLITE_NO_UPDATE = (
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent "
    "WHEN OLD.seq IS NOT NULL OR NEW.seq IS NULL OR "
    + " OR ".join(f'NEW."{c}" IS NOT OLD."{c}"' for c in CONTENT)
    + " BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"
)
SQLITE_NO_DELETE = ("CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent "
                    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;")
PG_NO_TRUNCATE = """
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
"""
PG_DROP_NO_TRUNCATE = "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;"


def _run(sql_by_vendor):
    def run(apps, schema_editor):
        for sql in sql_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_sealed_chain'),
    ]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE_DROP}), _run({"sqlite": [*SQLITE_DROP, SQLITE_NO_UPDATE]})),
        migrations.CreateModel(
            name='Checkpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('tree_size', models.BigIntegerField(unique=True)),
                ('root_hash', models.CharField(max_length=64)),
                ('signed_at', models.DateTimeField()),
                ('key_id', models.CharField(max_length=16)),
                ('legacy_size', models.BigIntegerField(default=0)),
                ('frontier', models.JSONField(default=list)),
                ('file_name', models.CharField(max_length=100)),
                ('document', models.JSONField()),
                ('mailed', models.BooleanField(default=False)),
            ],
            options={
                'ordering': ['-tree_size'],
            },
        ),
        migrations.AddField(
            model_name='auditevent',
            name='key_id',
            field=models.CharField(blank=True, editable=False, max_length=16),
        ),
        migrations.AddField(
            model_name='chainhead',
            name='frontier',
            field=models.JSONField(default=list),
        ),
        migrations.AddField(
            model_name='chainhead',
            name='tree_size',
            field=models.BigIntegerField(default=0),
        ),
        migrations.CreateModel(
            name='TreeNode',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.PositiveSmallIntegerField()),
                ('index', models.BigIntegerField()),
                ('hash', models.CharField(max_length=64)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('level', 'index'), name='audit_treenode_unique')],
            },
        ),
        migrations.RunPython(_run({"sqlite": [SQLITE_NO_UPDATE, SQLITE_NO_DELETE], "postgresql": [PG_NO_TRUNCATE]}),
                             _run({"sqlite": SQLITE_DROP, "postgresql": [PG_DROP_NO_TRUNCATE]})),
    ]
