"""Finalize-deployment function: approves, tags and announces a model version after production."""
