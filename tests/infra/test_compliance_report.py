"""The auditor's report over the real synthesized app."""

from mlops_audit.__main__ import main


def test_report_lists_packs_acknowledgements_and_encryption(synthesized_app, capsys):
    exit_code = main([str(synthesized_app.outdir)])

    report = (synthesized_app.outdir / "compliance-report.md").read_text()
    assert exit_code == 0
    assert "Unacknowledged findings: **none**" in report
    for pack in ("AwsSolutions", "NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321"):
        assert f"| {pack} |" in report
    assert "| cdk-nag | AccessLogsBucketCD784A59 | AwsSolutions-S1 |" in report
    assert "| ModelRegistryBucketF56BB991 | AWS::S3::Bucket | SSE-KMS with ${DataKey2A0DE9E6.Arn} |" in report
    assert "unacknowledged findings: 0" in capsys.readouterr().out


def test_report_refuses_an_empty_folder(tmp_path, capsys):
    assert main([str(tmp_path)]) == 2
    assert "no templates" in capsys.readouterr().err
