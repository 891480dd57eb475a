"""Agent-provided mock data: requests handed to an agent, in batches, under a lease.

- :mod:`.batches`: pending requests, batches per test run, claims and leases;
- :mod:`.describe`: what the agent is shown (the request, the response schemas);
- :mod:`.checking`: what the agent provides, checked against the schemas;
- :mod:`.saving`: an answer as a mock file;
- :mod:`.desk`: the server's desk the serving side awaits and the admin API drives.

docs/agent.md describes the workflow and the admin API.
"""

from .batches import Answer, Batches
from .describe import RUN_HEADER
from .desk import AGENT_FALLBACKS, AGENT_MODES, AgentDesk
from .errors import (
    AgentError,
    BadAgentCall,
    ClaimExpired,
    InvalidMockData,
    NoSuchBatch,
    WrongClaimToken,
)

__all__ = [
    "AGENT_FALLBACKS",
    "AGENT_MODES",
    "RUN_HEADER",
    "AgentDesk",
    "AgentError",
    "Answer",
    "BadAgentCall",
    "Batches",
    "ClaimExpired",
    "InvalidMockData",
    "NoSuchBatch",
    "WrongClaimToken",
]
