"""The auditor's compliance report, written from the synthesized cloud assembly."""
