"""``mockc orchestrator``: a REST service that generates, runs and manages mock servers.

Modules, one job each:

- :mod:`.cli` — the commands (``mockc orchestrator``, ``… token create``);
  :mod:`.main` — serving: open the store, adopt the servers, stop them at the end;
- :mod:`.app` — the ASGI app (routing, authentication, problems);
  :mod:`.http` — requests and answers; :mod:`.routes` — one function per route;
  :mod:`.document` — the OpenAPI 3.1 document; :mod:`.metrics` — ``/metrics``;
- :mod:`.auth` — who is calling; :mod:`.tokens` — token format, checksum, hashing;
- :mod:`.names` — what names may be; :mod:`.options` — generation and run options;
  :mod:`.specs` — spec files received (multipart, JSON, paths in the spec root);
- :mod:`.servers` — a server's lifecycle; :mod:`.supervisor` — child processes;
  :mod:`.proxy` — calls to a server's admin API;
- :mod:`.webhooks` — subscriptions, signed deliveries, retries;
  :mod:`.unmatched` — ``request.unmatched`` events from the servers' journals;
- :mod:`.store` and :mod:`.migrations` — state in SQLite or PostgreSQL;
  :mod:`.context` — what the routes share; :mod:`.errors` — problems by status.

Its guide is ``docs/orchestrator.md``.
"""
