"""A small ASGI client for HTTP-level tests of the game pages (Starlette's TestClient needs a package
the project does not use): one request at a time, as a browser on this computer would send it."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from urllib.parse import urlencode

BASE = "http://127.0.0.1:8765"


@dataclass
class Answer:
    status_code: int
    headers: dict[str, str]
    text: str

    def json(self):
        return json.loads(self.text)


class Client:
    """Send one HTTP request at a time to an ASGI app, as a browser on this computer would."""

    def __init__(self, app) -> None:
        self.app = app

    def request(self, method: str, path: str, params: dict | None = None, data: dict | None = None) -> Answer:
        body = urlencode(data or {}).encode()
        headers = [(b"host", b"127.0.0.1:8765")]
        if method == "POST":
            headers += [
                (b"origin", BASE.encode()),
                (b"content-type", b"application/x-www-form-urlencoded"),
                (b"content-length", str(len(body)).encode()),
            ]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": urlencode(params or {}).encode(),
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8765),
        }
        sent: list[dict] = []
        chunks = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive():
            return chunks.pop(0) if chunks else {"type": "http.disconnect"}

        async def send(message):
            sent.append(message)

        asyncio.run(self.app(scope, receive, send))
        start = next(m for m in sent if m["type"] == "http.response.start")
        text = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body").decode()
        return Answer(start["status"], {k.decode().lower(): v.decode() for k, v in start["headers"]}, text)

    def get(self, path: str, params: dict | None = None) -> Answer:
        return self.request("GET", path, params)

    def post(self, path: str, params: dict | None = None, data: dict | None = None) -> Answer:
        return self.request("POST", path, params, data)


async def solara_stand_in(scope, receive, send) -> None:
    """Stands in for Solara's app behind the gate: answers 'solara' to whatever reaches it."""
    from starlette.responses import PlainTextResponse

    await PlainTextResponse("solara")(scope, receive, send)


def gated_client() -> Client:
    """A client of the server's stack as `python -m app` builds it on 127.0.0.1:8765 (the Host and
    Origin guard, the gate with the team, projector and facilitator pages), Solara stood in for."""
    from app.gate import Gate
    from app.guard import AddressGuard, allowed_addresses

    return Client(AddressGuard(Gate(solara_stand_in), allowed_addresses("127.0.0.1", 8765)))
