"""PostgreSQL as oneplan uses it, except that the test flush may empty the audit log.

Django's flush (after every transactional test) empties tables with TRUNCATE, which the audit
log's trigger refuses (migration audit 0005). Only the flush steps around it: the trigger is
disabled for the TRUNCATE and enabled again, in one transaction. oneplan's own settings never
use this backend."""
from django.db.backends.postgresql import base, operations

GUARD = "ALTER TABLE audit_auditevent {} TRIGGER audit_event_no_truncate"


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        sql = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if "audit_auditevent" not in tables:
            return sql
        return [GUARD.format("DISABLE"), *sql, GUARD.format("ENABLE")]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
