"""Given a stage that needs approval, the person who uploaded the model version cannot be its approver."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from lambdas.common.uploaders import UploaderRecord, write_uploader
from lambdas.resolve_package.service import Clients, resolve
from tests.handlers.resolve_package.conftest import BUCKET, SETTINGS, Registered

UPLOADER = "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_DataScientist_1a2b/carol@example.com"
REQUEST_ID = "N4N7GDK58NMKJ12R"


class Approvals:
    """CodePipeline's reads of who approved the production stage of execution exec-1."""

    def __init__(self, approver: str | None) -> None:
        self.approver = approver

    def get_job_details(self, jobId: str) -> dict[str, Any]:  # noqa: N803 (boto3 names)
        return {"jobDetails": {"id": jobId, "data": {"pipelineContext": {"pipelineName": "p"}}}}

    def list_action_executions(self, **request: Any) -> dict[str, Any]:
        assert request["filter"] == {"pipelineExecutionId": "exec-1"}
        if self.approver is None:
            return {"actionExecutionDetails": []}
        approve = {
            "stageName": "Production",
            "actionName": "Approve",
            "status": "Succeeded",
            "updatedBy": self.approver,
            "lastUpdateTime": datetime(2026, 11, 27, tzinfo=UTC),
        }
        return {"actionExecutionDetails": [approve]}


@pytest.fixture
def uploaded(registered: Registered) -> Registered:
    registered.write_record(model_package_arn=registered.arn, manifest_request_id=REQUEST_ID)
    record = UploaderRecord(UPLOADER, REQUEST_ID, "models/churn-model/v1/manifest.json", "v2", "2026-11-27")
    write_uploader(registered.s3, BUCKET, record)
    return registered


def production(registered: Registered):
    return registered.job(stage="production", execution_id="exec-1", approval_required=True, job_id="j")


def clients(registered: Registered, approver: str | None) -> Clients:
    return Clients(sagemaker=registered.sm, s3=registered.s3, codepipeline=Approvals(approver))


def test_another_person_approving_lets_production_deploy(uploaded: Registered):
    approver = "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Approver_3c4d/dave@example.com"

    verdict = resolve(production(uploaded), clients(uploaded, approver), SETTINGS)

    assert verdict.passed, verdict.message


def test_the_uploader_approving_through_another_role_is_refused(uploaded: Registered):
    approver = "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Approver_3c4d/carol@example.com"

    verdict = resolve(production(uploaded), clients(uploaded, approver), SETTINGS)

    assert not verdict.passed
    assert verdict.output_variables is None
    assert f"{approver} uploaded churn-model v1 and cannot also approve it" in verdict.message


def test_whoever_asked_the_api_for_the_upload_cannot_approve_it(registered: Registered):
    # Given the provisioning API uploaded the manifest for carol: CloudTrail names the API's role
    manifest = "models/churn-model/v1/manifest.json"
    registered.write_record(
        model_package_arn=registered.arn, manifest_request_id=REQUEST_ID, source_key=manifest
    )
    api_role = "arn:aws:sts::123456789012:assumed-role/ProvisioningApiRole/provisioning-fn"
    write_uploader(registered.s3, BUCKET, UploaderRecord(api_role, REQUEST_ID, manifest, "v2", "2026-11-27"))
    registered.s3.put_object(Bucket=BUCKET, Key=manifest, Body=b"{}", Metadata={"requested-by": UPLOADER})
    approver = "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Approver_3c4d/carol@example.com"

    verdict = resolve(production(registered), clients(registered, approver), SETTINGS)

    assert not verdict.passed
    assert "cannot also approve it" in verdict.message


def test_an_uploader_not_on_record_yet_stops_production(registered: Registered):
    registered.write_record(model_package_arn=registered.arn, manifest_request_id="UNDELIVERED")

    verdict = resolve(
        production(registered), clients(registered, "arn:aws:iam::123456789012:user/dave"), SETTINGS
    )

    assert not verdict.passed
    assert "who uploaded churn-model v1 is not on record yet" in verdict.message


def test_a_stage_that_needs_approval_but_has_none_is_refused(uploaded: Registered):
    verdict = resolve(production(uploaded), clients(uploaded, None), SETTINGS)

    assert not verdict.passed
    assert "the production stage needs an approval and this execution has none" in verdict.message


def test_a_stage_without_approval_does_not_read_approvals(uploaded: Registered):
    verdict = resolve(uploaded.job(), Clients(uploaded.sm, uploaded.s3, codepipeline=None), SETTINGS)

    assert verdict.passed, verdict.message
