"""A CloudFormation value as one line of text; plain Python, so the audit report can use it without CDK."""

from collections.abc import Callable
from typing import Any


def cfn_text(value: Any, *, reference: Callable[[str], str], other: Callable[[Any], str]) -> str:
    """Strings as they are and joins flattened; `Ref` and `Fn::GetAtt` through `reference` (given `Name` or
    `Logical.Attribute`), any other value through `other`. Callers differ only in how those two read."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Ref" in value:
        return reference(value["Ref"])
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return reference(".".join(value["Fn::GetAtt"]))
    if isinstance(value, dict) and "Fn::Join" in value:
        delimiter, parts = value["Fn::Join"]
        return str(delimiter).join(cfn_text(part, reference=reference, other=other) for part in parts)
    return other(value)
