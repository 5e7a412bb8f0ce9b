"""The optional [adoption] table: absent by default; every bad value refused with its field."""

from mlops_config import load_config
from tests.conftest import REPO_ROOT
from tests.unit.config.config_files import load, refused

GROUP = """
[[adoption.groups]]
package_group = "team-churn-pipeline"
model_name = "churn"
owner = "team-a@example.com"
"""


def test_absent_from_the_default_config():
    assert load_config(REPO_ROOT / "config" / "default.toml").adoption is None


def test_a_group_with_its_serving_sections(tmp_path):
    config = load(
        tmp_path,
        '[adoption]\nartifact_buckets = ["team-models"]\n'
        + GROUP
        + '[adoption.groups.serving.deployment]\nstrategy = "linear"\n',
    )

    (group,) = config.adoption.groups
    assert group.model_name == "churn" and group.serving.deployment.strategy.value == "linear"


def test_artifact_buckets_are_required_and_named(tmp_path):
    assert "adoption.artifact_buckets" in refused(tmp_path, "[adoption]\n" + GROUP)
    assert "adoption.artifact_buckets" in refused(
        tmp_path, '[adoption]\nartifact_buckets = ["Bad_Bucket"]\n' + GROUP
    )


def test_nothing_to_adopt_is_refused(tmp_path):
    message = refused(tmp_path, '[adoption]\nartifact_buckets = ["team-models"]\n')

    assert "name at least one group in adoption.groups, or set adoption.by_tag = true" in message


def test_a_group_feeding_itself_is_refused(tmp_path):
    text = GROUP.replace('model_name = "churn"', 'model_name = "team-churn-pipeline"')

    message = refused(tmp_path, '[adoption]\nartifact_buckets = ["team-models"]\n' + text)

    assert "registering would feed the group it adopts from" in message


def test_two_groups_for_one_model_are_refused(tmp_path):
    second = GROUP.replace("team-churn-pipeline", "other-pipeline")

    message = refused(tmp_path, '[adoption]\nartifact_buckets = ["team-models"]\n' + GROUP + second)

    assert "each adoption group needs its own model_name; repeated: ['churn']" in message


def test_a_bad_serving_value_is_refused_with_its_path(tmp_path):
    text = GROUP + '[adoption.groups.serving.inference]\ntype = "realtime"\ninstance_type = "ml.nonsense"\n'

    message = refused(tmp_path, '[adoption]\nartifact_buckets = ["team-models"]\n' + text)

    assert "adoption.groups[0].serving.inference.instance_type: found 'ml.nonsense'" in message
