"""pydantic errors of a training spec as Problems: union tags left out of paths, patterns in words."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from mlops_manifest.inference import InferenceType
from mlops_manifest.problems import Problem, describe, from_pydantic_errors, loc_to_path
from mlops_training.job import JobKind
from mlops_training.text_rules import words_for
from mlops_training.tuning import RangeType

# Discriminated unions: pydantic puts the chosen tag in the location after the union's field; the JSON
# has no such level. None matches any key (a hyperparameter's name).
_UNIONS: tuple[tuple[tuple[str | None, ...], frozenset[str]], ...] = (
    (("job",), frozenset(JobKind)),
    (("tuning", "ranges", None), frozenset(RangeType)),
    (("serving", "inference"), frozenset(InferenceType)),
)


def _union_at(loc: Sequence[int | str]) -> frozenset[str] | None:
    """The tags of the union whose field is at `loc` (its length), if any."""
    for prefix, tags in _UNIONS:
        heads = zip(prefix, loc[: len(prefix)], strict=False)
        matches = len(loc) >= len(prefix) and all(p is None or p == item for p, item in heads)
        if matches and (len(loc) == len(prefix) or loc[len(prefix)] in tags):
            return tags
    return None


def without_union_tags(loc: Sequence[int | str]) -> tuple[int | str, ...]:
    """The location as the JSON spells it: the union tag pydantic inserted is dropped."""
    for prefix, tags in _UNIONS:
        size = len(prefix)
        heads = zip(prefix, loc[:size], strict=False)
        if len(loc) > size and all(p is None or p == item for p, item in heads) and loc[size] in tags:
            return (*loc[:size], *loc[size + 1 :])
    return tuple(loc)


def spec_problems(errors: Iterable[Any]) -> list[Problem]:
    """Every pydantic error of a spec as a Problem with a JSON path and what is allowed."""
    problems: list[Problem] = []
    for error in errors:
        loc = without_union_tags(error["loc"])
        ctx = error.get("ctx") or {}
        nested = ctx.get("problems")
        if isinstance(nested, list | tuple):
            problems += [_under(loc, problem) for problem in nested if isinstance(problem, Problem)]
        elif error["type"] in {"union_tag_invalid", "union_tag_not_found"}:
            problems.append(_tag_problem(loc, error, ctx))
        elif error["type"] == "string_pattern_mismatch" and words_for(str(ctx.get("pattern"))):
            allowed = str(words_for(str(ctx.get("pattern"))))
            problems.append(Problem(loc_to_path(loc), describe(error.get("input")), allowed, error["type"]))
        else:
            problems += from_pydantic_errors([{**error, "loc": loc}])
    return problems


def _under(loc: Sequence[int | str], problem: Problem) -> Problem:
    """A section's problem (its path relative to the section) with the section's own path in front."""
    if not loc:
        return problem
    return Problem(f"{loc_to_path(loc)}.{problem.path}", problem.found, problem.allowed, problem.code)


def _tag_problem(loc: Sequence[int | str], error: Any, ctx: dict[str, Any]) -> Problem:
    """A missing or unknown `kind`/`type` of a union: named at the tag field, with the allowed tags."""
    field = str(ctx.get("discriminator", "kind")).strip("'")
    path = f"{loc_to_path(loc)}.{field}" if loc else field
    found = "(missing)" if error["type"] == "union_tag_not_found" else describe(ctx.get("tag"))
    tags = _union_at(loc)
    expected = ", ".join(sorted(tags)) if tags else str(ctx.get("expected_tags", ""))
    return Problem(path, found, f"one of {expected}", error["type"])
