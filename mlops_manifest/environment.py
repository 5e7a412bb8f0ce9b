"""The serving container's environment (manifest `environment`): what an AutoML candidate's container needs.

Restricted on three levels: names and values by pattern and count (the field's type), nothing that looks
like a credential (a manifest is readable by everyone who can read the registry), and only the closed list
of variables the endpoint blueprint passes (mlops_contract.serving), so that no endpoint runs without a
variable its package was registered with. The package records the environment; each stage's resolve step
reads it back from the package and hands every variable to the blueprint parameter that passes it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, StringConstraints

from mlops_contract.serving import (
    BLUEPRINT_VARIABLES,
    CODE_DIRECTORY_VARIABLE,
    PROGRAM_VARIABLE,
    SERVING_CODE_DIRECTORY,
    UNSET,
)
from mlops_manifest import text_rules as rules
from mlops_manifest.problems import Problem, describe

if TYPE_CHECKING:
    from mlops_manifest.manifest import Manifest

MAX_VARIABLES = 20
EnvName = Annotated[str, StringConstraints(pattern=rules.ENV_NAME.pattern)]
EnvValue = Annotated[str, StringConstraints(pattern=rules.ENV_VALUE.pattern)]
Environment = Annotated[dict[EnvName, EnvValue], Field(max_length=MAX_VARIABLES)]

# Words in a name that say the value is a credential.
_SECRET_WORDS = (
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "TOKEN",
    "CREDENTIAL",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "API_KEY",
)
# Values shaped like credentials: AWS access key IDs, PEM blocks, long base64 runs mixing cases and digits.
_SECRET_VALUES = (
    re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"),
    re.compile(r"-----BEGIN"),
    re.compile(r"(?=[A-Za-z0-9+/]*[0-9])(?=[A-Za-z0-9+/]*[a-z])(?=[A-Za-z0-9+/]*[A-Z])[A-Za-z0-9+/]{32,}"),
)
_NO_SECRETS = (
    "no credentials: a manifest is readable by everyone who reads the registry; a container gets secrets "
    "from its execution role or AWS Secrets Manager"
)
_VALUE = re.compile(rules.ENV_VALUE.pattern)
_PROGRAM = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\.py$")


def environment_problems(m: Manifest) -> list[Problem]:
    """Every problem of the manifest's container environment (empty: none, or nothing asked)."""
    problems = variable_problems(m.environment)
    if m.environment and m.framework is not None and m.framework.value == "sklearn":
        allowed = (
            f"no environment with framework sklearn: the platform sets {PROGRAM_VARIABLE}=inference.py itself"
        )
        problems.append(Problem("environment", "(set)", allowed, "environment_conflict"))
    return problems


def variable_problems(environment: Mapping[str, str]) -> list[Problem]:
    """The rules on the variables themselves (also applied to an AutoML candidate before it is scored)."""
    problems = [p for name, value in environment.items() for p in _variable(name, value)]
    if CODE_DIRECTORY_VARIABLE in environment and PROGRAM_VARIABLE not in environment:
        allowed = f"{PROGRAM_VARIABLE} as well: the code directory names where that entry point lives"
        problems.append(Problem(f"environment.{PROGRAM_VARIABLE}", "(missing)", allowed, "missing"))
    return problems


def _variable(name: str, value: str) -> list[Problem]:
    """A variable's problems: a credential by name or value first, then what the blueprint cannot pass."""
    path = f"environment.{name}"
    if any(word in name for word in _SECRET_WORDS):
        return [Problem(path, describe(name), _NO_SECRETS, "secret_like")]
    if any(pattern.search(value) for pattern in _SECRET_VALUES):
        return [Problem(path, "a value shaped like a credential", _NO_SECRETS, "secret_like")]
    if name not in BLUEPRINT_VARIABLES:
        passable = ", ".join(sorted(BLUEPRINT_VARIABLES))
        allowed = (
            f"one of {passable}: the endpoint blueprint passes no other variable to the container, and a "
            "model registered with one would be served without it"
        )
        return [Problem(path, describe(name), allowed, "not_deployable")]
    if not _VALUE.fullmatch(value):  # a candidate's environment has not been through the manifest's type
        return [Problem(path, describe(value), rules.ENV_VALUE.words, "invalid")]
    if name == CODE_DIRECTORY_VARIABLE and value != SERVING_CODE_DIRECTORY:
        allowed = f"{SERVING_CODE_DIRECTORY} (where SageMaker extracts code/ of the archive; the blueprint's)"
        return [Problem(path, describe(value), allowed, "not_deployable")]
    if name == PROGRAM_VARIABLE and not _PROGRAM.match(value):
        allowed = "a Python file name under code/ such as inference.py (no folders)"
        return [Problem(path, describe(value), allowed, "invalid")]
    if value == UNSET:
        allowed = f"a value other than '{UNSET}', which the deployment pipeline reads as 'not set'"
        return [Problem(path, describe(value), allowed, "not_deployable")]
    return []
