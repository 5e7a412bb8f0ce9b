"""Policy documents as moto's CloudFormation stores them: shared by the infra and e2e tests."""

import ast
import json
from typing import Any
from urllib.parse import unquote


def policy_document(policy: Any) -> Any:
    """The policy as a dict: moto keeps an inline policy created by CloudFormation as the Python text of its
    dict (URL-quoted), not as JSON."""
    if isinstance(policy, dict):
        return policy
    text = unquote(policy)
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return ast.literal_eval(text)
