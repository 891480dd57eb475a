"""The floor of the HTTP benchmark: the least an ASGI server can do for `GET /pets/{petId}`.

A minimal Starlette app that answers a constant Pet-like JSON object, served by granian
with one worker. It does no validation and no data generation, so its requests/s is the
ceiling a generated mockc server (same server, same Python) can hope to approach.

It runs in its own virtual environment (bench/.cache/floor-venv, see http_bench.py):

    granian --interface asgi --no-ws --log-level error --port 8000 floor_app:app
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

PET: dict[str, object] = {
    "id": 1,
    "name": "Emma Lopez",
    "tag": "vivid",
    "status": "available",
    "born": "2019-04-12",
    "owner": {"name": "Noah Patel", "email": "noah.patel@example.com"},
}


async def show_pet_by_id(request: Request) -> JSONResponse:
    return JSONResponse(PET)


app = Starlette(routes=[Route("/pets/{petId}", show_pet_by_id, methods=["GET"])])
