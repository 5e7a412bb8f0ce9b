"""`python -m mlops_cli`: the `mlops` command without installing the package."""

from mlops_cli.main import cli

cli(prog_name="mlops")
