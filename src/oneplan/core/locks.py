"""Serialising writers of one key inside a transaction, on both engines.

SQLite already runs one writing transaction at a time (oneplan opens them IMMEDIATE);
PostgreSQL takes transaction-scoped advisory locks (a namespace and 32 bits of each key), in
sorted order so that two transactions locking overlapping keys never wait for each other.
"""
from django.db import connection


def hold(namespace: int, keys: list[str]) -> None:
    """Lock hex `keys` (hashes) until the transaction ends; one round trip."""
    if connection.vendor != "postgresql" or not keys:
        return
    locks = sorted({int(k[:8], 16) - 2**31 for k in keys})
    # PostgreSQL evaluates the select list left to right.
    sql = "SELECT " + ", ".join(["pg_advisory_xact_lock(%s, %s)"] * len(locks))
    with connection.cursor() as cursor:
        cursor.execute(sql, [v for key in locks for v in (namespace, key)])
