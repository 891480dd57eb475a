"""The shared core of the broker mock services (Kafka, RabbitMQ, MQTT): the
message and channel model, the client protocol each broker implements, and the
service that runs a mock as a client of a real broker."""
