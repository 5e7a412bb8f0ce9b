"""The training spec (schema version 1): how a model is trained, evaluated, registered and retrained."""
