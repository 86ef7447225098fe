"""The server answers only under its own names and only to its own pages (app/guard.py): a foreign
`Host` header (DNS rebinding) gets 400, a WebSocket upgrade or a non-GET request with a foreign
`Origin` (cross-site WebSocket hijacking) gets 403. Checked on the middleware with hand-made ASGI
requests, and on a running `python -m app` with real HTTP requests and WebSocket upgrades."""

from __future__ import annotations

import asyncio
import http.client
import uuid

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from app.browser import app_server
from app.guard import AddressGuard, allowed_addresses, split_address

PORT = 8765
LOCAL = allowed_addresses("127.0.0.1", PORT, ["classroom.local", "192.168.1.20", "proxy.example:8080"])


def _call(kind: str, headers: dict[str, str], method: str = "GET", allowed=LOCAL) -> int:
    """The status the guard answers with for one request (200: passed to the app behind it)."""
    sent: list[dict] = []

    async def inner(scope, receive, send) -> None:
        sent.append({"type": "passed", "status": 200})

    async def send(message) -> None:
        sent.append(message)

    async def receive() -> dict:
        return {"type": "websocket.connect"} if kind == "websocket" else {"type": "http.request"}

    scope = {
        "type": kind,
        "method": method,
        "path": "/",
        "scheme": "ws" if kind == "websocket" else "http",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "extensions": {"websocket.http.response": {}},
    }
    asyncio.run(AddressGuard(inner, allowed)(scope, receive, send))
    return next(m["status"] for m in sent if "status" in m)


@pytest.mark.parametrize(
    ("host", "status"),
    [
        (f"127.0.0.1:{PORT}", 200),
        (f"localhost:{PORT}", 200),
        (f"LOCALHOST:{PORT}", 200),
        (f"[::1]:{PORT}", 200),
        (f"classroom.local:{PORT}", 200),
        (f"192.168.1.20:{PORT}", 200),
        ("proxy.example:8080", 200),
        (f"evil.example:{PORT}", 400),
        ("evil.example", 400),
        ("127.0.0.1:9999", 400),
        ("127.0.0.1", 400),
        (f"127.0.0.1.evil.example:{PORT}", 400),
        (f"localhost@evil.example:{PORT}", 400),
        ("", 400),
        (f"proxy.example:{PORT}", 400),
    ],
)
def test_the_host_header_must_name_this_server(host, status):
    headers = {"host": host} if host else {}
    assert _call("http", headers) == status
    assert _call("websocket", headers) == status


@pytest.mark.parametrize(
    ("origin", "status"),
    [
        (None, 200),  # not a browser: no site to be tricked by
        (f"http://127.0.0.1:{PORT}", 200),
        (f"http://localhost:{PORT}", 200),
        (f"http://classroom.local:{PORT}", 200),
        ("https://proxy.example:8080", 200),
        ("http://evil.example", 403),
        (f"http://evil.example:{PORT}", 403),
        ("http://127.0.0.1:9999", 403),
        (f"http://localhost.evil.example:{PORT}", 403),
        ("null", 403),
        (f"file://127.0.0.1:{PORT}", 403),
        (f"http://127.0.0.1:{PORT}x", 403),
    ],
)
def test_a_websocket_from_another_site_is_refused(origin, status):
    headers = {"host": f"127.0.0.1:{PORT}", **({"origin": origin} if origin else {})}
    assert _call("websocket", headers) == status
    assert _call("http", headers, method="POST") == status  # e.g. Solara's close beacon
    assert _call("http", headers, method="GET") == 200  # a link or an image from another site changes nothing


def test_a_server_without_the_denial_extension_closes_the_websocket():
    sent: list[dict] = []

    async def send(message) -> None:
        sent.append(message)

    async def run() -> None:
        scope = {"type": "websocket", "path": "/", "headers": [(b"host", b"evil.example")]}
        await AddressGuard(None, LOCAL)(scope, None, send)  # type: ignore[arg-type]

    asyncio.run(run())
    assert sent == [{"type": "websocket.close", "code": 1008}]


def test_the_lifespan_passes_through():
    seen: list[str] = []

    async def inner(scope, receive, send) -> None:
        seen.append(scope["type"])

    asyncio.run(AddressGuard(inner, LOCAL)({"type": "lifespan"}, None, None))  # type: ignore[arg-type]
    assert seen == ["lifespan"]


def test_the_allow_list():
    assert allowed_addresses("127.0.0.1", 80) == {("127.0.0.1", 80), ("localhost", 80), ("::1", 80)}
    everywhere = allowed_addresses("0.0.0.0", 80)  # the computer's own names are added, never 0.0.0.0 itself
    assert ("localhost", 80) in everywhere and ("0.0.0.0", 80) not in everywhere and len(everywhere) > 3
    assert split_address("[::1]:9", 1) == ("::1", 9) and split_address("::1", 1) == ("::1", 1)
    assert split_address("Room.Local.", 5) == ("room.local", 5)
    for bad in ["a b", "http://x", "x:99999", "x:y", "", "user@host"]:
        assert split_address(bad, 80) is None
        with pytest.raises(ValueError, match="is not a host name or address"):
            allowed_addresses("127.0.0.1", 80, [bad or ":"])


def _status(port: int, host: str, path: str = "/workshop") -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def _upgrade(port: int, origin: str | None) -> int:
    """101 if the WebSocket upgrade to Solara's kernel channel is accepted, else the HTTP status."""
    url = f"ws://127.0.0.1:{port}/jupyter/api/kernels/{uuid.uuid4()}/channels?session_id={uuid.uuid4()}"
    try:
        with connect(url, origin=origin, open_timeout=30):  # type: ignore[arg-type]
            return 101
    except InvalidStatus as exc:
        return exc.response.status_code


@pytest.mark.slow  # starts a real server (about 20 s)
def test_a_running_server_refuses_foreign_hosts_and_origins(tmp_path):
    with app_server(
        tmp_path / "home",
        log=tmp_path / "server.log",
        args=["--games-root", str(tmp_path / "games"), "--allow-host", "classroom.test"],
    ) as url:
        port = int(url.rsplit(":", 1)[1])
        status, body = _status(port, f"evil.example:{port}")
        assert status == 400 and "Refused" in body and "--allow-host" in body and "Traceback" not in body
        assert _status(port, f"127.0.0.1:{port}")[0] == 200
        assert _status(port, f"localhost:{port}", "/")[0] == 200
        assert _status(port, f"classroom.test:{port}")[0] == 200  # --allow-host
        assert _upgrade(port, "http://evil.example") == 403
        assert _upgrade(port, f"http://evil.example:{port}") == 403
        assert _upgrade(port, f"http://127.0.0.1:{port}") == 101
        assert _upgrade(port, f"http://classroom.test:{port}") == 101
