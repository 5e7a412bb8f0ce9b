"""Deployment-events function: failed pipeline executions and guardrail rollbacks become events."""
