"""The baseline of bench/api_load.py: bare FastAPI routes answering static JSON bytes.

    .venv/bin/python bench/bare_app.py --port P --generate-body G.json --list-body L.json

``POST /bare/generate`` and ``GET /bare/list`` answer the given files' bytes unchanged (the
benchmark passes real responses of our API, so sizes match), with no middleware, database or
serialisation. Served by uvicorn with the settings ``finetune serve --no-access-log`` uses: one
worker, automatic loop and HTTP implementation (uvloop and httptools when installed), proxy headers.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn
from fastapi import FastAPI, Response


def build_app(generate_body: bytes, list_body: bytes) -> FastAPI:
    """Two routes that answer precomputed bytes, the cheapest a FastAPI route can be."""
    app = FastAPI()

    @app.post("/bare/generate")
    async def bare_generate() -> Response:
        return Response(generate_body, media_type="application/json")

    @app.get("/bare/list")
    async def bare_list() -> Response:
        return Response(list_body, media_type="application/json")

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--generate-body", type=Path, required=True)
    parser.add_argument("--list-body", type=Path, required=True)
    args = parser.parse_args()
    app = build_app(args.generate_body.read_bytes(), args.list_body.read_bytes())
    uvicorn.run(
        app, host=args.host, port=args.port, workers=1, proxy_headers=True, access_log=False
    )


if __name__ == "__main__":
    main()
