"""Refusals the API answers with: a status, a code and a sentence naming the problem, never AWS's text."""

from __future__ import annotations

from collections.abc import Sequence
from http import HTTPStatus

from mlops_api.models import ErrorBody, ProblemBody
from mlops_manifest.problems import Problem


class ApiError(Exception):
    """A request the API refuses, with everything the caller needs to fix it."""

    def __init__(self, status: HTTPStatus, code: str, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.problems = tuple(problems)

    def body(self) -> ErrorBody:
        """The JSON body of the answer."""
        return ErrorBody(
            error=self.code,
            message=self.message,
            problems=[ProblemBody(**p.to_dict()) for p in self.problems],
        )


def invalid(message: str, problems: Sequence[Problem] = ()) -> ApiError:
    """400: the request is malformed."""
    return ApiError(HTTPStatus.BAD_REQUEST, "invalid_request", message, problems)


def not_found(message: str) -> ApiError:
    """404: no such model, version or waiting approval."""
    return ApiError(HTTPStatus.NOT_FOUND, "not_found", message)


def conflict(message: str) -> ApiError:
    """409: the request conflicts with what exists."""
    return ApiError(HTTPStatus.CONFLICT, "conflict", message)


def forbidden(code: str, message: str) -> ApiError:
    """403: the caller is unknown or may not do this."""
    return ApiError(HTTPStatus.FORBIDDEN, code, message)
