"""Registry-approval handler: a registry decision answers the pipeline's pending production approval."""
