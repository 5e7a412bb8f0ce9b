"""Resolve-package function: binds a deployment to what registration recorded for its model package."""
