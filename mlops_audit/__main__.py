"""`python -m mlops_audit [cdk.out]`: write the compliance report and print its summary."""

import argparse
import sys
from pathlib import Path

from mlops_audit.report import write_report


def main(argv: list[str] | None = None) -> int:
    """Write `<assembly>/compliance-report.md`; exit 1 unless a pack ran and every check passed."""
    parser = argparse.ArgumentParser(prog="python -m mlops_audit", description=__doc__)
    parser.add_argument(
        "assembly", nargs="?", type=Path, default=Path("cdk.out"), help="cloud assembly folder"
    )
    args = parser.parse_args(argv)
    if not any(args.assembly.glob("*.template.json")):
        print(f"error: no templates in {args.assembly}; run `make synth` first", file=sys.stderr)
        return 2
    summary = write_report(args.assembly)
    print(f"Compliance summary (packs that ran: {', '.join(summary.packs) or 'NONE'}):")
    print(f"  {summary.templates} templates, {summary.resources} resources")
    print(
        f"  unacknowledged findings: {summary.violations}; acknowledged with a reason: {summary.acknowledged}"
    )
    print(f"  acknowledgements that match no finding: {summary.stale_acknowledgements}")
    print(f"  data resources without encryption at rest: {summary.unencrypted}")
    print(f"  functions at or over Lambda's unzipped limit: {summary.functions_over_limit}")
    print(f"  report: {args.assembly / 'compliance-report.md'}")
    return 0 if summary.passed else 1


if __name__ == "__main__":
    sys.exit(main())
