"""The MQTT target: an IR Api's MQTT channels in, a mock service that is an MQTT client out."""

from .generator import MqttServer, generate

__all__ = ["MqttServer", "generate"]
