"""Attaches the configured cdk-nag packs as policy-validation plugins that record what they found."""

from collections.abc import Callable, Iterable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import cdk_nag
import jsii
from aws_cdk import (
    App,
    CfnElement,
    IPolicyValidationContext,
    IPolicyValidationPlugin,
    PolicyValidationPluginReport,
    Stack,
    Validations,
)

from mlops_audit.pack_record import Finding, PackRecord, clear_records, write_record
from mlops_config import CompliancePack

_PACKS: dict[CompliancePack, Callable[..., cdk_nag.NagPack]] = {
    CompliancePack.AWS_SOLUTIONS: cdk_nag.AwsSolutionsChecks,
    CompliancePack.NIST_800_53_R5: cdk_nag.NIST80053R5Checks,
    CompliancePack.HIPAA_SECURITY: cdk_nag.HIPAASecurityChecks,
    CompliancePack.PCI_DSS_321: cdk_nag.PCIDSS321Checks,
    CompliancePack.SERVERLESS: cdk_nag.ServerlessChecks,
}
# A rule id under this prefix matches no acknowledgement, so the audit copy of a pack reports every finding.
_AUDIT_PREFIX = "Unacknowledged~"
_NAG_VERSION = version("cdk-nag")


def attach_compliance_packs(app: App, packs: Iterable[CompliancePack]) -> None:
    """Make synthesis fail on any unacknowledged finding of the given packs, and record what each found."""
    outdir = Path(app.outdir)
    clear_records(outdir)
    locate = _Locator(app)  # shared: the packs mostly report the same resources
    plugins = [_RecordedPack(app, _PACKS[pack], outdir, locate) for pack in packs]
    Validations.of(app).add_plugins(*plugins)


@jsii.implements(IPolicyValidationPlugin)
class _RecordedPack:
    """A cdk-nag pack that gates synthesis as it is, and writes all its findings into the assembly."""

    def __init__(
        self, app: App, pack: Callable[..., cdk_nag.NagPack], outdir: Path, locate: "_Locator"
    ) -> None:
        # Acknowledgements are also written into template metadata, so auditors see them in the template.
        self._gate = pack(app, write_suppressions_to_cloud_formation=True)
        self._audit = pack()
        self._audit._pack_name = _AUDIT_PREFIX + self._gate.read_pack_name
        self._locate = locate
        self._outdir = outdir

    @property
    def name(self) -> str:
        """The pack's plugin name, e.g. `AwsSolutions`."""
        return str(self._gate.name)

    @property
    def version(self) -> str | None:
        """The cdk-nag version."""
        return self._gate.version

    @property
    def rule_ids(self) -> list[str] | None:
        """The pack's rule ids, as cdk-nag declares them."""
        return self._gate.rule_ids

    def validate(self, context: IPolicyValidationContext) -> PolicyValidationPluginReport:
        """Run the pack twice: as the gate (acknowledgements apply) and blind to acknowledgements."""
        report = self._gate.validate(context)
        every = _pairs(self._audit.validate(context), strip=_AUDIT_PREFIX)
        open_findings = set(_pairs(report))
        findings = tuple(
            Finding(rule, path, *self._locate(path), severity, acknowledged=(rule, path) not in open_findings)
            for (rule, path), severity in every.items()
        )
        templates = tuple(sorted(str(Path(p).relative_to(self._outdir)) for p in context.template_paths))
        write_record(self._outdir, PackRecord(self.name, _NAG_VERSION, templates, findings))
        return report


class _Locator:
    """Template file and logical id of the resource at a construct path (templates carry no paths).

    Every step down the construct tree is a call into jsii's node process, about 10 ms each: paths and the
    nodes on their way are looked up once for all the packs (this took 2.8 s of each synthesis before).
    """

    def __init__(self, app: App) -> None:
        self._nodes: dict[str, Any] = {"": app}
        self._found: dict[str, tuple[str, str]] = {}

    def _node(self, path: str) -> Any:
        if path not in self._nodes:
            parent, _, name = path.rpartition("/")
            self._nodes[path] = self._node(parent).node.find_child(name)
        return self._nodes[path]

    def __call__(self, construct_path: str) -> tuple[str, str]:
        if construct_path not in self._found:
            node = self._node(construct_path)
            if isinstance(node, CfnElement):
                stack = Stack.of(node)
                self._found[construct_path] = (stack.template_file, str(stack.resolve(node.logical_id)))
            else:
                self._found[construct_path] = ("", "")
        return self._found[construct_path]


def _pairs(report: Any, strip: str = "") -> dict[tuple[str, str], str]:
    """(rule id, construct path) -> severity of every violating resource in a plugin report."""
    return {
        (violation.rule_name.removeprefix(strip), resource.construct_path or ""): violation.severity
        or "error"
        for violation in report.violations
        for resource in violation.violating_resources
    }
