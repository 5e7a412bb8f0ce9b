"""The `mlops` command line: validate, push, status and drift, against AWS or local mode."""
