"""The auditor's report over the real synthesized app."""

from mlops_audit.__main__ import main


def test_report_lists_packs_acknowledgements_and_encryption(synthesized_app, capsys):
    exit_code = main([str(synthesized_app.outdir)])

    report = (synthesized_app.outdir / "compliance-report.md").read_text()
    assert exit_code == 0
    assert "Unacknowledged findings: **none**" in report
    for pack in ("AwsSolutions", "NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321"):
        assert f"| {pack} |" in report
    assert "| cdk-nag | RegistryAccessLogsBucket8793964E | AwsSolutions-S1 |" in report
    bucket, key = "RegistryModelRegistryBucket9E0BB17D", "RegistryDataKey0F69CDC7"
    assert f"| {bucket} | AWS::S3::Bucket | SSE-KMS with ${{{key}.Arn}} |" in report
    assert "unacknowledged findings: 0" in capsys.readouterr().out


def test_report_refuses_an_empty_folder(tmp_path, capsys):
    assert main([str(tmp_path)]) == 2
    assert "no templates" in capsys.readouterr().err


def test_report_covers_the_endpoint_blueprints(synthesized_app):
    main([str(synthesized_app.outdir)])

    report = (synthesized_app.outdir / "compliance-report.md").read_text()
    for kind in ("realtime", "serverless", "async"):
        assert f"## Stack `MlopsOrchestrator-EndpointBlueprint-{kind}`" in report
