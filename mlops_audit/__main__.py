"""`python -m mlops_audit [cdk.out] [--config FILE]`: write the compliance report and print its summary."""

import argparse
import sys
from pathlib import Path

from mlops_audit.report import write_report
from mlops_config import ConfigError, load_config

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "config" / "default.toml"


def main(argv: list[str] | None = None) -> int:
    """Write `<assembly>/compliance-report.md`; exit 1 on an unacknowledged finding or unencrypted data."""
    parser = argparse.ArgumentParser(prog="python -m mlops_audit", description=__doc__)
    parser.add_argument(
        "assembly", nargs="?", type=Path, default=Path("cdk.out"), help="cloud assembly folder"
    )
    parser.add_argument(
        "--config", type=Path, default=DEFAULT_CONFIG, help="deployment config used for synth"
    )
    args = parser.parse_args(argv)
    if not any(args.assembly.glob("*.template.json")):
        print(f"error: no templates in {args.assembly}; run `make synth` first", file=sys.stderr)
        return 2
    try:
        packs = [str(pack) for pack in load_config(args.config).compliance_packs]
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    summary = write_report(args.assembly, packs)
    print(f"Compliance summary ({', '.join(packs)}):")
    print(f"  {summary.templates} templates, {summary.resources} resources")
    print(
        f"  unacknowledged findings: {summary.violations}; acknowledged with a reason: {summary.acknowledged}"
    )
    print(f"  data resources without encryption at rest: {summary.unencrypted}")
    print(f"  report: {args.assembly / 'compliance-report.md'}")
    return 1 if summary.violations or summary.unencrypted else 0


if __name__ == "__main__":
    sys.exit(main())
