"""Local mode building blocks: endpoint emulator, demo model and traffic generator."""
