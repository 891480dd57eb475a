"""The RabbitMQ (AMQP 0-9-1) target: an IR Api's AMQP channels in, a mock
service that is a RabbitMQ client out."""

from .generator import AmqpServer, generate

__all__ = ["AmqpServer", "generate"]
