"""Kafka: the client of a generated Kafka mock service."""
