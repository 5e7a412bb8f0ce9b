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
INVALID_INPUT_ERROR = "InvalidInput"
_Condition = sfn.Condition
# The other fields a run must name. A path a state reads but the input lacks is a States.Runtime error, which
# no Catch handles: the run would stop without its failure notice, after CreateModel without the clean-up.
REQUIRED_FIELDS = (
    ("$.transformJobName", "text (a new job name: letters, digits and hyphens)", _Condition.is_string),
    ("$.contentType", "text (the input's MIME type, e.g. text/csv)", _Condition.is_string),
    ("$.instanceType", "text (an ml.* instance type)", _Condition.is_string),
    ("$.instanceCount", "a number", _Condition.is_numeric),
    ("$.maxPayloadInMB", "a number (MiB per request, 1-100)", _Condition.is_numeric),
)


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
    for index, (field, kind, typed) in enumerate(REQUIRED_FIELDS):
        missing = _Condition.or_(_Condition.not_(_Condition.is_present(field)), _Condition.not_(typed(field)))
        name = field.removeprefix("$.")
        cause = f"The execution input's {name} is missing or is not {kind}; nothing was started."
        choice.when(
            missing, sfn.Fail(scope, f"InputFieldRefused{index}", error=INVALID_INPUT_ERROR, cause=cause)
        )
    no_text = _Condition.or_(
        _Condition.not_(_Condition.is_present(path)), _Condition.not_(_Condition.is_string(path))
    )
    choice.when(no_text, _refused(scope, 0, "is missing or is not text"))
    choice.when(_Condition.string_equals(path, ""), _refused(scope, 1, "is empty"))
    for index, (pattern, problem) in enumerate(REFUSED_INPUT_PREFIXES, start=2):
        choice.when(_Condition.string_matches(path, pattern), _refused(scope, index, problem))
    return choice.otherwise(then)
