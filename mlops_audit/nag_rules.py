"""The rule catalogue of the installed cdk-nag, read from the RULES.md its package ships."""

import re
import tarfile
from importlib.util import find_spec
from pathlib import Path

# RULES.md section headings for each pack, keyed by the pack's plugin name.
PACK_HEADINGS = {
    "AwsSolutions": "AWS Solutions",
    "HIPAA.Security": "HIPAA Security",
    "NIST.800.53.R5": "NIST 800-53 rev 5",
    "PCI.DSS.321": "PCI DSS 3.2.1",
    "Serverless": "Serverless",
}
_RULE_CELL = re.compile(r"^\|\s*\[?([A-Za-z0-9.]+-?[A-Za-z0-9]+)\]?")


def read_rules_markdown() -> str:
    """RULES.md from the installed cdk-nag bundle (found without importing cdk_nag, which starts node)."""
    spec = find_spec("cdk_nag")
    assert spec is not None and spec.origin is not None, "cdk-nag is not installed"
    (bundle,) = (Path(spec.origin).parent / "_jsii").glob("*.jsii.tgz")
    with tarfile.open(bundle, mode="r:gz") as archive:
        member = archive.extractfile("package/RULES.md")
        assert member is not None, "cdk-nag bundle has no RULES.md"
        return member.read().decode("utf-8")


def rules_by_pack(markdown: str) -> dict[str, list[str]]:
    """Rule ids each pack evaluates (warnings and errors; the 'Excluded Rules' tables are skipped)."""
    heading_to_pack = {heading: pack for pack, heading in PACK_HEADINGS.items()}
    rules: dict[str, list[str]] = {}
    pack: str | None = None
    in_rule_table = False
    for line in markdown.splitlines():
        if line.startswith("## "):
            pack = heading_to_pack.get(line[3:].strip())
            in_rule_table = False
        elif line.startswith("### "):
            in_rule_table = line[4:].strip() in {"Warnings", "Errors"}
        elif pack and in_rule_table and (match := _RULE_CELL.match(line)) and match.group(1) != "Rule":
            rules.setdefault(pack, []).append(match.group(1))
    return rules
