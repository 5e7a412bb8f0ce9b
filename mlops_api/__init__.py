"""The provisioning API's contract: request and response models, operations, and the OpenAPI document."""
