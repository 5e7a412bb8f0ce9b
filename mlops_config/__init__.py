"""Typed deployment configuration: the only shape in which settings reach stacks and constructs."""

from mlops_config.loader import ConfigError, load_config
from mlops_config.model import CompliancePack, MonitoringSettings, OrchestratorConfig, Stage

__all__ = [
    "CompliancePack",
    "ConfigError",
    "MonitoringSettings",
    "OrchestratorConfig",
    "Stage",
    "load_config",
]
