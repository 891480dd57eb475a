"""MQTT: the client of a generated MQTT mock service."""
