"""Registry-approval function: a registry approval or rejection decides the pipeline's pending approval."""
