"""Where an endpoint URL points: local mode and its traffic may only ever talk to this machine."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlparse


def is_loopback(endpoint_url: str) -> bool:
    """Tell whether a URL points at this machine (127.0.0.0/8, ::1 or localhost)."""
    host = urlparse(endpoint_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
