"""The contract between the deployment pipelines and the endpoint blueprint, below CDK and run-time code."""
