"""How the app drives PostgreSQL: a request that only reads runs without a transaction.

psycopg opens a transaction with a BEGIN of its own, a round trip before the request's
first statement, and the request's COMMIT is another: two of the ten round trips a
signed-in consultation page made (a ping, BEGIN, seven statements, COMMIT; issue 16).
Under READ COMMITTED, PostgreSQL's level here, every statement of a transaction reads a
snapshot of its own anyway, so a request that only reads (``request_writes`` is false: a
GET whose view is not marked ``writes_on_get``) sees the same data in autocommit.

Everything else begins a transaction as before: a request that writes, CLI commands,
the outbox, the tests' outer transaction. The mode is set at every begin, on the
connection the pool hands out, so it never carries over from a read to what follows.
A read request that writes anyway is logged by ``sqlite_engine`` as on SQLite.
"""

from __future__ import annotations

from flask import has_request_context
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from komoro_engage.sqlite_engine import request_writes

# Marks, in the pooled connection's record, a connection this module put in autocommit:
# only those are switched back. An engine made with isolation_level="AUTOCOMMIT" (the
# scratch databases' CREATE DATABASE) keeps its mode.
OURS = "komoro_reads_in_autocommit"


@event.listens_for(Engine, "begin")
def _reads_in_autocommit(connection: Connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    pooled = connection.connection
    driver = pooled.driver_connection
    # Setting the mode is client-side in psycopg 3: no round trip.
    if has_request_context() and not request_writes():
        if not driver.autocommit:
            driver.autocommit = pooled.info[OURS] = True
    elif pooled.info.pop(OURS, False):
        driver.autocommit = False
