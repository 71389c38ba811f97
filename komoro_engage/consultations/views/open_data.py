"""Open data of a consultation, linked from its page: the vote matrix in Polis's
``participants-votes.csv`` layout and the statements in its ``comments.csv`` layout
(part B's polis_csv), written through core.csv_export. Published statements only;
participants appear as numbers of this consultation, never as accounts."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from komoro_engage.consultations import analysis, permissions, queries
from komoro_engage.consultations.models import Consultation
from komoro_engage.consultations.opinion_groups import OpinionMap
from komoro_engage.consultations.polis_csv import (
    StatementRecord,
    participant_numbers,
    participants_votes_rows,
    statements_rows,
)
from komoro_engage.core.clock import as_utc
from komoro_engage.core.csv_export import csv_response
from komoro_engage.extensions import db

NO_GROUPS = OpinionMap(participants_total=0, participants_counted=0, statements=(),
                       points=(), groups=(), consensus=(), overall=(), k_choice=None)


def _load(consultation_id: int) -> Consultation:
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or not permissions.can_view(current_user, consultation):
        abort(404)
    return consultation


def _records(consultation_id: int) -> list[StatementRecord]:
    return [StatementRecord(s.id, s.text, as_utc(s.published_at or s.created_at), s.author_id)
            for s in queries.published_statements(consultation_id)]


def _data(consultation_id: int):
    votes, _ids = analysis.consultation_votes(consultation_id)
    records = _records(consultation_id)
    return votes, records, participant_numbers(votes, records)


def participants_votes(consultation_id: int):
    """participants-votes.csv: one row per voter, their group in the latest snapshot."""
    consultation = _load(consultation_id)
    votes, records, numbers = _data(consultation.id)
    opinion_map = analysis.latest(consultation.id).opinion_map or NO_GROUPS
    return csv_response(participants_votes_rows(opinion_map, votes, records, numbers=numbers),
                        f"consultation-{consultation.id}-participants-votes.csv")


def statements(consultation_id: int):
    """The statements with their agrees and disagrees (Polis's comments.csv)."""
    consultation = _load(consultation_id)
    votes, records, numbers = _data(consultation.id)
    return csv_response(statements_rows(records, votes, numbers=numbers),
                        f"consultation-{consultation.id}-statements.csv")

