"""Attaches the configured cdk-nag packs as policy-validation plugins that record what they found."""

from collections.abc import Callable, Iterable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import cdk_nag
import jsii
from aws_cdk import (
    App,
    Aspects,
    CfnElement,
    IPolicyValidationContext,
    IPolicyValidationPlugin,
    PolicyValidationPluginReport,
    PolicyViolation,
    Stack,
    Validations,
)

from mlops_audit.pack_record import Finding, PackRecord, clear_records, write_record
from mlops_audit.template_index import Placed, TemplateIndex
from mlops_config import CompliancePack

_PACKS: dict[CompliancePack, Callable[..., cdk_nag.NagPack]] = {
    CompliancePack.AWS_SOLUTIONS: cdk_nag.AwsSolutionsChecks,
    CompliancePack.NIST_800_53_R5: cdk_nag.NIST80053R5Checks,
    CompliancePack.HIPAA_SECURITY: cdk_nag.HIPAASecurityChecks,
    CompliancePack.PCI_DSS_321: cdk_nag.PCIDSS321Checks,
    CompliancePack.SERVERLESS: cdk_nag.ServerlessChecks,
}
# A rule id under this prefix matches no acknowledgement, so each pack reports every finding it has.
_BLIND_PREFIX = "Unacknowledged~"
_NAG_VERSION = version("cdk-nag")


def attach_compliance_packs(app: App, packs: Iterable[CompliancePack]) -> None:
    """Make synthesis fail on any unacknowledged finding of the given packs, and record what each found."""
    outdir = Path(app.outdir)
    clear_records(outdir)
    locate = _Locator(app)  # shared: the packs mostly report the same resources
    plugins = [_RecordedPack(_PACKS[pack], outdir, locate) for pack in packs]
    if plugins:
        # Copies each resource's acknowledgements (its own and its ancestors') into its template metadata:
        # auditors read them there, and the gate decides from them.
        Aspects.of(app).add(cdk_nag.WriteNagSuppressionsToCloudFormationAspect())
    Validations.of(app).add_plugins(*plugins)


@jsii.implements(IPolicyValidationPlugin)
class _RecordedPack:
    """A cdk-nag pack run once per synthesis: it records every finding and fails on the unacknowledged ones.

    The pack runs blind to acknowledgements; a finding is acknowledged when its rule id is among those the
    resource's template metadata lists, which is the rule cdk-nag applies (the resource or an ancestor
    acknowledges that id). So the gate and the audit record come from the same single run.
    """

    def __init__(self, pack: Callable[..., cdk_nag.NagPack], outdir: Path, locate: "_Locator") -> None:
        self._pack = pack()
        self._name = str(self._pack.name)
        self._pack._pack_name = _BLIND_PREFIX + self._pack.read_pack_name
        self._locate = locate
        self._outdir = outdir

    @property
    def name(self) -> str:
        """The pack's plugin name, e.g. `AwsSolutions`."""
        return self._name

    @property
    def version(self) -> str | None:
        """The cdk-nag version."""
        return self._pack.version

    @property
    def rule_ids(self) -> list[str] | None:
        """The pack's rule ids, as cdk-nag declares them."""
        return self._pack.rule_ids

    def validate(self, context: IPolicyValidationContext) -> PolicyValidationPluginReport:
        """Run the pack once, write its record, and report the unacknowledged findings to CDK."""
        template_paths = list(context.template_paths)
        self._locate.read(template_paths)
        report = self._pack.validate(context)
        findings = tuple(self._finding(rule, path, level) for (rule, path), level in _pairs(report).items())
        templates = tuple(sorted(str(Path(p).relative_to(self._outdir)) for p in template_paths))
        write_record(self._outdir, PackRecord(self.name, _NAG_VERSION, templates, findings))
        return _open_findings(report, {(f.rule, f.construct_path) for f in findings if f.acknowledged})

    def _finding(self, rule: str, construct_path: str, severity: str) -> Finding:
        placed = self._locate(construct_path)
        acknowledged = self._locate.acknowledges(placed, rule)
        return Finding(rule, construct_path, placed.template, placed.logical_id, severity, acknowledged)


class _Locator:
    """Template file, logical id and acknowledged rule ids of the resource at a construct path.

    Read from the validated templates (`TemplateIndex`); only where a template carries no construct paths
    (path metadata turned off) is the construct tree walked, each step a call into jsii's node process.
    """

    def __init__(self, app: App) -> None:
        self._index = TemplateIndex()
        self._nodes: dict[str, Any] = {"": app}

    def read(self, template_paths: list[str]) -> None:
        """Index the templates a pack is about to validate."""
        self._index.read(template_paths)

    def acknowledges(self, placed: Placed, rule: str) -> bool:
        """Whether the resource's template metadata acknowledges `rule`."""
        return rule in self._index.acknowledged(placed)

    def __call__(self, construct_path: str) -> Placed:
        return self._index.locate(construct_path) or self._walk(construct_path)

    def _walk(self, construct_path: str) -> Placed:
        node = self._node(construct_path)
        if not isinstance(node, CfnElement):
            return Placed("", "")
        stack = Stack.of(node)
        return Placed(stack.template_file, str(stack.resolve(node.logical_id)))

    def _node(self, path: str) -> Any:
        if path not in self._nodes:
            parent, _, name = path.rpartition("/")
            self._nodes[path] = self._node(parent).node.find_child(name)
        return self._nodes[path]


def _pairs(report: PolicyValidationPluginReport) -> dict[tuple[str, str], str]:
    """(rule id, construct path) -> severity of every violating resource in a blind pack's report."""
    return {
        (violation.rule_name.removeprefix(_BLIND_PREFIX), resource.construct_path or ""): violation.severity
        or "error"
        for violation in report.violations
        for resource in violation.violating_resources
    }


def _open_findings(
    report: PolicyValidationPluginReport, acknowledged: set[tuple[str, str]]
) -> PolicyValidationPluginReport:
    """The blind report without its acknowledged findings, under the pack's real rule ids: what cdk-nag
    itself reports when acknowledgements apply (same grouping by rule, same order, same descriptions)."""
    violations = []
    for violation in report.violations:
        rule = violation.rule_name.removeprefix(_BLIND_PREFIX)
        resources = [
            resource
            for resource in violation.violating_resources
            if (rule, resource.construct_path or "") not in acknowledged
        ]
        if resources:
            violations.append(
                PolicyViolation(
                    rule_name=rule,
                    description=violation.description,
                    violating_resources=resources,
                    fix=violation.fix,
                    rule_metadata=violation.rule_metadata,
                    severity=violation.severity,
                )
            )
    return PolicyValidationPluginReport(
        success=not violations,
        violations=violations,
        metadata=report.metadata,
        plugin_version=report.plugin_version,
    )
