"""Whose response a page belongs to: the signed-in person's, or this browser's.

A visitor's browser gets a signed, long-lived cookie holding a random token; the
response keeps only the token's SHA-256, so the database cannot name the browser. The
unique constraints (survey, user) and (survey, visitor_hash) make a double tap or a
second tab land on the same row: the loser of a race reads the winner's.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import Response, after_this_request, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from komoro_engage.extensions import db
from komoro_engage.surveys.models import Survey, SurveyResponse

COOKIE_NAME = "komoro_survey_visitor"
COOKIE_MAX_AGE = 400 * 24 * 3600  # browsers keep a cookie at most about 400 days


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="survey-visitor")


def visitor_token(create: bool) -> str | None:
    """This browser's token from its signed cookie; a new one (set on the way out) when
    ``create`` and there is none or it was forged."""
    raw = request.cookies.get(COOKIE_NAME, "")
    try:
        token = _serializer().loads(raw) if raw else None
    except BadSignature:
        token = None
    if token is None and create:
        token = secrets.token_urlsafe(24)
        signed = _serializer().dumps(token)

        @after_this_request
        def set_cookie(response: Response) -> Response:
            response.set_cookie(COOKIE_NAME, signed, max_age=COOKIE_MAX_AGE, httponly=True,
                                samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
            return response
    return token if isinstance(token, str) else None


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _identity(user, create: bool) -> dict | None:
    if user is not None and user.is_authenticated:
        return {"user_id": user.id}
    token = visitor_token(create)
    return {"visitor_hash": _hash(token)} if token else None


def find_response(survey: Survey, user) -> SurveyResponse | None:
    identity = _identity(user, create=False)
    if identity is None:
        return None
    (column, value), = identity.items()
    return db.session.scalar(select(SurveyResponse).where(
        SurveyResponse.survey_id == survey.id, getattr(SurveyResponse, column) == value))


def response_for(survey: Survey, user) -> SurveyResponse:
    """The response to save into, created on the first saved page."""
    found = find_response(survey, user)
    if found is not None:
        return found
    identity = _identity(user, create=True)
    response = SurveyResponse(survey_id=survey.id, **identity)
    try:
        with db.session.begin_nested():
            db.session.add(response)
    except IntegrityError:  # a second tap created it meanwhile
        (column, value), = identity.items()
        return db.session.scalars(select(SurveyResponse).where(
            SurveyResponse.survey_id == survey.id,
            getattr(SurveyResponse, column) == value)).one()
    return response
