"""The web toolkit every HTTP-family app of the runtime shares (HTTP, GraphQL,
the admin API; later SOAP, SSE, WebSocket, MCP): ASGI types and lifespan,
bounded body reading, problem documents, fault senders, the health document,
header handling and path routing. Protocol-neutral: it imports no adapter."""

from .asgi import Receive, Scope, Send, lifespan
from .bodies import INCOMPLETE_BODY, body_too_large, read_body
from .faults import ResetConnection, delay, send_fault
from .headers import encoded_headers, join_repeated, request_headers, sendable_header
from .health import Health
from .problems import PROBLEM_CONTENT_TYPE, PROBLEM_MEDIA_TYPE, Problem, send_problem
from .responses import RawHeaders, send_response
from .router import Match, MethodNotAllowed, NoRoute, Router

__all__ = [
    "INCOMPLETE_BODY",
    "PROBLEM_CONTENT_TYPE",
    "PROBLEM_MEDIA_TYPE",
    "Health",
    "Match",
    "MethodNotAllowed",
    "NoRoute",
    "Problem",
    "RawHeaders",
    "Receive",
    "ResetConnection",
    "Router",
    "Scope",
    "Send",
    "body_too_large",
    "delay",
    "encoded_headers",
    "join_repeated",
    "lifespan",
    "read_body",
    "request_headers",
    "send_fault",
    "send_problem",
    "send_response",
    "sendable_header",
]
