"""One module per stack; stacks compose constructs and wire them, nothing more."""
