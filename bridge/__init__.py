"""anova-mqtt-bridge: run Anova sous-vide cookers over MQTT."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("anova-mqtt-bridge")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
