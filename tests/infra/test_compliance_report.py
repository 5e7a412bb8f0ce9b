"""The auditor's report over the real synthesized app, and over apps whose packs differ from the config's."""

from aws_cdk import App, CfnResource, Stack

from mlops_audit.__main__ import main
from mlops_audit.function_sizes import function_sizes
from mlops_audit.report import template_paths
from mlops_config import CompliancePack
from stacks.compliance import attach_compliance_packs

REGISTER_HANDLER = "lambdas.register.handler.lambda_handler"


def test_report_lists_packs_acknowledgements_and_encryption(synthesized_app, capsys):
    exit_code = main([str(synthesized_app.outdir)])

    report = (synthesized_app.outdir / "compliance-report.md").read_text()
    assert exit_code == 0
    assert "Unacknowledged findings: **none**" in report
    assert "**0 match no finding**" in report
    for pack in ("AwsSolutions", "NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321"):
        assert f"| . | {pack} | 3.0.2 |" in report and f"| blueprints | {pack} | 3.0.2 |" in report
    assert "Serverless |" not in report
    assert (
        "| cdk-nag | RegistryAccessLogsBucket8793964E | NIST.800.53.R5-S3BucketReplicationEnabled |" in report
    )
    bucket, key = "RegistryModelRegistryBucket9E0BB17D", "RegistryDataKey0F69CDC7"
    assert f"| {bucket} | AWS::S3::Bucket | SSE-KMS with ${{{key}.Arn}} |" in report
    assert "unacknowledged findings: 0" in capsys.readouterr().out


def synthesize_with(tmp_path, packs):
    """A one-resource app (no rule applies to a custom resource type) gated by `packs`."""
    app = App(outdir=str(tmp_path))
    CfnResource(Stack(app, "Tiny"), "Thing", type="Custom::Thing")
    attach_compliance_packs(app, packs)
    app.synth()


def test_the_report_names_the_packs_that_ran_whatever_the_config_says(tmp_path, capsys):
    synthesize_with(tmp_path, [CompliancePack.SERVERLESS])

    assert main([str(tmp_path)]) == 0
    report = (tmp_path / "compliance-report.md").read_text()
    assert "| . | Serverless | 3.0.2 |" in report
    assert "AwsSolutions |" not in report and "NIST.800.53.R5 |" not in report
    assert "packs that ran: Serverless" in capsys.readouterr().out


def test_no_pack_run_fails_the_report_and_says_so(tmp_path, capsys):
    synthesize_with(tmp_path, [])

    assert main([str(tmp_path)]) == 1
    assert "| . | **no pack ran** |" in (tmp_path / "compliance-report.md").read_text()
    assert "packs that ran: NONE" in capsys.readouterr().out


def test_records_of_an_earlier_synthesis_do_not_count(tmp_path):
    synthesize_with(tmp_path, [CompliancePack.AWS_SOLUTIONS])
    synthesize_with(tmp_path, [CompliancePack.SERVERLESS])

    main([str(tmp_path)])

    assert "AwsSolutions |" not in (tmp_path / "compliance-report.md").read_text()


def test_report_refuses_an_empty_folder(tmp_path, capsys):
    assert main([str(tmp_path)]) == 2
    assert "no templates" in capsys.readouterr().err


def test_report_covers_the_endpoint_blueprints(synthesized_app):
    main([str(synthesized_app.outdir)])

    report = (synthesized_app.outdir / "compliance-report.md").read_text()
    for kind in ("realtime", "serverless", "async"):
        assert f"## Stack `MlopsOrchestrator-EndpointBlueprint-{kind}`" in report


def test_every_function_fits_lambdas_unzipped_limit_and_the_report_shows_it(synthesized_app):
    sizes = [s for path in template_paths(synthesized_app.outdir) for s in function_sizes(path)]
    main([str(synthesized_app.outdir)])
    report = (synthesized_app.outdir / "compliance-report.md").read_text()

    assert len(sizes) >= 8
    assert [s.function for s in sizes if s.margin <= 0] == []
    (register,) = [s for s in sizes if s.handler == REGISTER_HANDLER]
    assert len(register.layers) == 2 and register.total > 100 * 1024**2  # pyarrow really counted
    assert f"| {register.function} | {REGISTER_HANDLER} |" in report
    assert "limit 250.0 MiB" in report
