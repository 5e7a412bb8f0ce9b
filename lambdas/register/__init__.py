"""Register function: turns an uploaded model + manifest into a model package version or a rejection."""
