"""Provisioning API function: validate manifests, grant uploads, report status, approve, roll back."""
