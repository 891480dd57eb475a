"""RabbitMQ (AMQP 0-9-1): the broker client of the AMQP mock services
(aio-pika), its options and its server entry."""
