"""Attaches the configured cdk-nag rule packs to the app as policy-validation plugins."""

from collections.abc import Callable, Iterable

import cdk_nag
from aws_cdk import App, IPolicyValidationPlugin, Validations

from mlops_config import CompliancePack

_PACKS: dict[CompliancePack, Callable[..., IPolicyValidationPlugin]] = {
    CompliancePack.AWS_SOLUTIONS: cdk_nag.AwsSolutionsChecks,
    CompliancePack.NIST_800_53_R5: cdk_nag.NIST80053R5Checks,
    CompliancePack.HIPAA_SECURITY: cdk_nag.HIPAASecurityChecks,
    CompliancePack.PCI_DSS_321: cdk_nag.PCIDSS321Checks,
    CompliancePack.SERVERLESS: cdk_nag.ServerlessChecks,
}


def attach_compliance_packs(app: App, packs: Iterable[CompliancePack]) -> None:
    """Make synthesis fail on any unacknowledged finding of the given packs."""
    # Acknowledgements are also written into template metadata, so auditors see them in the template.
    plugins = [_PACKS[pack](app, write_suppressions_to_cloud_formation=True) for pack in packs]
    Validations.of(app).add_plugins(*plugins)
