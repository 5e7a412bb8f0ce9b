"""How the trained model is served: the manifest's serving sections, written once in the spec.

The very model the manifest's serving fields come from, so a spec that validates generates a manifest
that validates.
"""

from mlops_manifest.manifest import Serving

__all__ = ["Serving"]
