"""End to end, locally: the person who uploaded a model version cannot approve it for production."""

import pytest

from mlops_local import pipeline_reads
from mlops_local.event_router import LOCAL_UPLOADER
from tests.e2e.conftest import stack_exists

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore:Tried to parse:UserWarning")]


def test_the_uploader_approving_their_own_model_stops_before_production(local, push, monkeypatch):
    # Given the production approval is answered by the same person who uploaded the model (another role)
    same_person = LOCAL_UPLOADER.replace("assumed-role/DataScientist/", "assumed-role/Approver/")
    monkeypatch.setattr(pipeline_reads, "LOCAL_APPROVER", same_person)
    # When the model is pushed and approved
    pushed = push("e2e-self-approved")
    # Then production's resolve step refuses it and production is never deployed
    (execution,) = pushed.executions
    assert execution.status == "Failed"
    failed = execution.actions[-1]
    assert (failed.stage, failed.action) == ("Production", "Resolve")
    assert f"{same_person} uploaded e2e-self-approved 1 and cannot also approve it" in failed.message
    assert stack_exists(local, "mlops-e2e-self-approved-staging")
    assert not stack_exists(local, "mlops-e2e-self-approved-production")
    # And CloudTrail's record of the upload (emulated locally) is what named the uploader
    uploaders = local.aws.client("s3").list_objects_v2(Bucket=local.registry_bucket, Prefix="uploaders/")
    assert uploaders["KeyCount"] >= 1
