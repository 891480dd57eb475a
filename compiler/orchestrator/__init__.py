"""``mockc orchestrator``: a REST service that generates, runs and manages mock servers.

Modules, one job each: :mod:`.names` (what a name may be), :mod:`.tokens`
(token format and hashing), :mod:`.store` and :mod:`.migrations` (state in
SQLite or PostgreSQL), :mod:`.specs` (spec files received), :mod:`.supervisor`
(child processes), :mod:`.servers` (a server's lifecycle), :mod:`.webhooks`,
:mod:`.auth`, :mod:`.http` (ASGI plumbing), :mod:`.routes`, :mod:`.document`
(the OpenAPI document), :mod:`.app` and :mod:`.main` (serving), :mod:`.cli`.
"""
