"""Where the Kafka cluster is and how to reach it.

The bootstrap servers come from ``MOCKC_KAFKA_BOOTSTRAP`` (``--kafka-bootstrap``),
else the contract's Kafka server, else ``127.0.0.1:9092``. Security is read
from the environment only (``MOCKC_KAFKA_SECURITY_PROTOCOL``,
``MOCKC_KAFKA_SASL_MECHANISM``, ``MOCKC_KAFKA_SASL_USERNAME``,
``MOCKC_KAFKA_SASL_PASSWORD``, ``MOCKC_KAFKA_SSL_CA_FILE``): no flag shows a
password in ``ps``.

When the cluster cannot be reached, :meth:`KafkaConfig.refusal` says why in the
user's terms where the Kafka client does not: a certificate that does not
verify, credentials a SASL SCRAM exchange refused.
"""

from __future__ import annotations

import asyncio
import os
import re
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DEFAULT_BOOTSTRAP",
    "SASL_MECHANISMS",
    "SECURITY_PROTOCOLS",
    "KafkaConfig",
    "bootstrap_of",
    "default_group",
]

DEFAULT_BOOTSTRAP = "127.0.0.1:9092"
SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
PROBE_TIMEOUT_S = 5.0
"""How long :meth:`KafkaConfig.refusal` waits for a TLS handshake."""


def bootstrap_of(url: str) -> str:
    """``host:port[,host:port…]`` of a server URL (``kafka-secure://h:9093`` → ``h:9093``);
    a host without a port gets 9092. ValueError when it names no host."""
    servers = []
    for part in url.split(","):
        text = _SCHEME.sub("", part.strip()).strip("/")
        if not text:
            continue
        host, colon, port = text.rpartition(":")
        if not colon or not host or "]" in port:
            host, port = text, "9092"
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"{part.strip()!r}: the port is not a number from 1 to 65535")
        servers.append(f"{host}:{port}")
    if not servers:
        raise ValueError(f"{url!r} names no host")
    return ",".join(servers)


def default_group(title: str) -> str:
    """The consumer group of a channel whose binding names none: ``mockc-<title>``."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return f"mockc-{slug or 'service'}"


@dataclass(frozen=True, kw_only=True)
class KafkaConfig:
    """How the mock reaches the cluster, what it may create there."""

    bootstrap: str = DEFAULT_BOOTSTRAP
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str = "PLAIN"
    username: str = ""
    password: str = ""
    ca_file: str = ""
    create_topics: bool = True
    """Create the contract's topics that are missing (with the bindings'
    partitions and replicas)."""
    group: str = "mockc-service"
    """The consumer group of channels whose binding names none."""
    client_id: str = "mockc"
    fetch_wait_ms: int = 100
    """How long the cluster may hold a fetch that has nothing new."""
    max_message_bytes: int = 4 * 1024 * 1024

    @classmethod
    def from_values(
        cls, values: Mapping[str, Any], *, contract_url: str = "", title: str = ""
    ) -> KafkaConfig:
        """The settings' values (``runtime/settings``) over the contract's server.
        ValueError names the setting that is wrong."""
        given = values.get("kafka_bootstrap") or contract_url or DEFAULT_BOOTSTRAP
        try:
            bootstrap = bootstrap_of(str(given))
        except ValueError as error:
            raise ValueError(f"MOCKC_KAFKA_BOOTSTRAP: {error}") from None
        protocol = str(values.get("kafka_security_protocol") or "PLAINTEXT").upper()
        mechanism = str(values.get("kafka_sasl_mechanism") or "PLAIN").upper()
        username = str(values.get("kafka_sasl_username") or "")
        password = str(values.get("kafka_sasl_password") or "")
        if protocol.startswith("SASL") and not username:
            raise ValueError(
                f"MOCKC_KAFKA_SECURITY_PROTOCOL is {protocol}: set MOCKC_KAFKA_SASL_USERNAME "
                "and MOCKC_KAFKA_SASL_PASSWORD"
            )
        ca_file = str(values.get("kafka_ssl_ca_file") or "")
        if ca_file and not os.path.isfile(ca_file):
            raise ValueError(f"MOCKC_KAFKA_SSL_CA_FILE: {ca_file!r} is not a file")
        maximum = values.get("max_message_bytes")
        return cls(
            bootstrap=bootstrap,
            security_protocol=protocol,
            sasl_mechanism=mechanism,
            username=username,
            password=password,
            ca_file=ca_file,
            create_topics=bool(values.get("kafka_create_topics", True)),
            group=str(values.get("kafka_group_id") or default_group(title)),
            fetch_wait_ms=int(values.get("kafka_fetch_wait_ms") or 100),
            max_message_bytes=int(maximum) if isinstance(maximum, int) and maximum else 4 << 20,
        )

    @property
    def tls(self) -> bool:
        return self.security_protocol in ("SSL", "SASL_SSL")

    def describe(self) -> str:
        """``kafka at host:port`` (with the security protocol when not plain); never
        credentials."""
        security = "" if self.security_protocol == "PLAINTEXT" else f" ({self.security_protocol})"
        return f"kafka at {self.bootstrap}{security}"

    def client_options(self) -> dict[str, Any]:
        """The keyword arguments every aiokafka client takes for the connection."""
        options: dict[str, Any] = {
            "bootstrap_servers": self.bootstrap.split(","),
            "security_protocol": self.security_protocol,
        }
        if self.tls:
            options["ssl_context"] = self.ssl_context()
        if self.security_protocol.startswith("SASL"):
            options.update(
                sasl_mechanism=self.sasl_mechanism,
                sasl_plain_username=self.username,
                sasl_plain_password=self.password,
            )
        return options

    def ssl_context(self) -> ssl.SSLContext:
        """The TLS context of the connections: the CA file's certificates, else the
        system's; the server's name (or IP address) checked."""
        return ssl.create_default_context(cafile=self.ca_file or None)

    async def refusal(self, error: BaseException) -> str:
        """Why the cluster refused the connection that failed with ``error``, when the
        Kafka client's own error does not say it; "" otherwise.

        aiokafka reports a TLS handshake that failed as ``Unable to bootstrap``:
        with TLS on, one handshake with the first server finds the certificate
        error. Its SCRAM exchange fails with ``KeyError: 'v'`` when the server's
        final message carries an error instead of its signature (unknown user,
        wrong password)."""
        if self.tls:
            found = await self._tls_refusal()
            if found:
                return found
        if self.security_protocol.startswith("SASL") and isinstance(error, KeyError | ValueError):
            return (
                f"SASL {self.sasl_mechanism} authentication failed: the cluster refused the "
                "user name or password (MOCKC_KAFKA_SASL_USERNAME, MOCKC_KAFKA_SASL_PASSWORD)"
            )
        return ""

    async def _tls_refusal(self) -> str:
        host, _, port = self.bootstrap.split(",")[0].rpartition(":")
        host = host.strip("[]")
        try:
            _, writer = await asyncio.wait_for(
                asyncio.open_connection(
                    host, int(port), ssl=self.ssl_context(), server_hostname=host
                ),
                PROBE_TIMEOUT_S,
            )
        except ssl.SSLCertVerificationError as refused:
            detail = refused.verify_message or refused.reason or "certificate verify failed"
            where = f" (MOCKC_KAFKA_SSL_CA_FILE={self.ca_file})" if self.ca_file else ""
            return f"TLS: certificate verify failed: {detail}{where}"
        except ssl.SSLError as refused:
            return f"TLS: {refused.reason or refused}"
        except (OSError, TimeoutError):
            return ""  # not reachable at all: the client's own reason says so
        writer.close()
        return ""
