"""The Kafka target: an IR Api's Kafka channels in, a mock service that is a Kafka client out."""

from .generator import KafkaServer, generate

__all__ = ["KafkaServer", "generate"]
