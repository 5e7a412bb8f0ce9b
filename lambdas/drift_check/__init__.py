"""Drift check function: capture since the checkpoint vs the baseline profile, reported and alarmed."""
