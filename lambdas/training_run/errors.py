"""The one error type of a training run: a problem in plain words that the state machine reports."""

from __future__ import annotations


class TrainingRunError(ValueError):
    """A run cannot go on; the message names the input, the location and what was expected."""
