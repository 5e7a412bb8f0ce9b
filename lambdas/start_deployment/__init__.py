"""Start-deployment function: a ModelRegistered event starts the deployment pipeline of its inference type."""
