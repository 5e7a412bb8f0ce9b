"""Where image build contexts live in the registry bucket: one home for the builder and the Git pipeline."""

import re

IMAGES_PREFIX = "images/"
CONTEXT_FILE = "context.tar.gz"
# images/<name>/<tag>/context.tar.gz; the image is tagged <name>-<tag> in the builder's ECR repository.
# name: an ECR path segment (lowercase); tag: ECR allows 128 characters, name and '-' included.
CONTEXT_KEY_PATTERN = r"images/([a-z0-9][a-z0-9._-]{0,62})/([A-Za-z0-9][A-Za-z0-9._-]{0,63})/context\.tar\.gz"
CONTEXT_KEY = re.compile(CONTEXT_KEY_PATTERN)
# The same keys as an EventBridge wildcard, for the rule that starts a build when a context arrives.
CONTEXT_KEY_WILDCARD = f"{IMAGES_PREFIX}*/*/{CONTEXT_FILE}"


def image_tag(key: str) -> str | None:
    """The image tag a context key builds, `<name>-<tag>`; None when the key is not a context key."""
    found = CONTEXT_KEY.fullmatch(key)
    return f"{found[1]}-{found[2]}" if found else None
