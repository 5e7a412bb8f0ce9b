"""The batch workflow's first check: the run's input prefix stays inside its model's batch input folder.

A run names `inputPrefix`, relative to `batch-input/<model_name>/` in production's data bucket. Every
refusal of mlops_contract.batch_layout becomes a Choice rule with a Fail state of its own, so a bad input
ends the execution before any model or job exists, with a cause that names the problem.
"""

from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from mlops_contract.batch_layout import INPUT_LOCATION_WORDS, REFUSED_INPUT_PREFIXES

INPUT_PREFIX_PATH = "$.inputPrefix"
INVALID_PREFIX_ERROR = "InvalidInputPrefix"
_Condition = sfn.Condition


def _refused(scope: Construct, index: int, problem: str) -> sfn.Fail:
    """A Fail state whose cause says what is wrong with the prefix and what is allowed."""
    return sfn.Fail(
        scope,
        f"InputPrefixRefused{index}",
        error=INVALID_PREFIX_ERROR,
        cause=f"The execution input's inputPrefix {problem}. Allowed: {INPUT_LOCATION_WORDS}.",
    )


def check_input_prefix(scope: Construct, then: sfn.IChainable) -> sfn.Choice:
    """Go on to `then` only with a non-empty, relative input prefix that cannot leave the model's folder."""
    path = INPUT_PREFIX_PATH
    choice = sfn.Choice(scope, "CheckInputPrefix")
    no_text = _Condition.or_(
        _Condition.not_(_Condition.is_present(path)), _Condition.not_(_Condition.is_string(path))
    )
    choice.when(no_text, _refused(scope, 0, "is missing or is not text"))
    choice.when(_Condition.string_equals(path, ""), _refused(scope, 1, "is empty"))
    for index, (pattern, problem) in enumerate(REFUSED_INPUT_PREFIXES, start=2):
        choice.when(_Condition.string_matches(path, pattern), _refused(scope, index, problem))
    return choice.otherwise(then)
