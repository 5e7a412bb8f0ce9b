"""The project's own L3 constructs, one per module."""
