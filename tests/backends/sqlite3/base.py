"""SQLite as oneplan uses it, except that the test flush may empty the audit log.

Django's flush (after every transactional test) empties tables with DELETE, which the audit
log's trigger refuses (migration audit 0005). Only the flush steps around it: the trigger is
dropped, the tables emptied and the trigger made again, in one transaction. oneplan's own
settings never use this backend."""
from importlib import import_module

from django.db.backends.sqlite3 import base, operations

AUDIT = import_module("oneplan.audit.migrations.0005_keyed_chain_and_checkpoints")


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        sql = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if "audit_auditevent" not in tables:
            return sql
        return ["DROP TRIGGER IF EXISTS audit_event_no_delete", *sql, AUDIT.SQLITE_NO_DELETE]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
