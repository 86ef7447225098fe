"""`python -m app [--host 127.0.0.1] [--port 8765] [--allow-host NAME]... [--games-root FOLDER] [--render-workers N]`:
start the classroom app. Every mistake on the command line is one `error:` line and exit code 2."""

from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path
from typing import NoReturn

from app.guard import allowed_addresses
from app.renderpool import default_workers
from app.server import (
    ALLOW_HOSTS_ENV,
    DEFAULT_GAMES_ROOT,
    DEFAULT_HOST,
    DEFAULT_PORT,
    GAMES_ROOT_ENV,
    allow_hosts_from_env,
    serve,
)
from sim.extras import missing_extra


class OneLineParser(argparse.ArgumentParser):
    """argparse with its mistakes as one `error:` line (no usage block), exit code 2."""

    def error(self, message: str) -> NoReturn:
        print(f"error: {message} (python -m app --help lists the options)", file=sys.stderr)
        sys.exit(2)


def _fail(message: str) -> NoReturn:
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


def _port(text: str) -> int:
    """A TCP port number, 1 to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a port number: give a whole number from 1 to 65535, e.g. --port {DEFAULT_PORT}"
        ) from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(
            f"{port} is not a port number: give a whole number from 1 to 65535, e.g. --port {DEFAULT_PORT}"
        )
    return port


def _workers(text: str) -> int:
    """A number of render workers, 0 or more."""
    try:
        workers = int(text)
    except ValueError:
        workers = -1
    if workers < 0:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of render workers: give a whole number, 0 or "
            f"more (0 draws the pictures in the server's own process), e.g. "
            f"--render-workers {default_workers()}"
        )
    return workers


def can_listen(host: str, port: int) -> str:
    """'' when the app can listen on host:port, else why not in words (the address is unknown, or
    another program holds the port)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        return f"the address {host!r} is not one of this computer's ({exc})"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            return f"{host}:{port} cannot be used ({exc.strerror or exc}): another program may be listening there"
    return ""


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve the page; an address that cannot be used ends the program
    with one `error:` line and exit code 2."""
    parser = OneLineParser(
        prog="python -m app",
        description="The classroom app: a local web page that runs the "
        "Sahel influence model step by step, and the workshop facilitator's page.",
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}: this "
        "computer only; 0.0.0.0 lets other computers on the network connect)",
    )
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port, 1 to 65535 (default {DEFAULT_PORT})")
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="another name or address "
        "under which browsers reach the server (e.g. 192.168.1.20 or classroom.local, or NAME:PORT "
        "behind a port forward); repeatable; also from $" + ALLOW_HOSTS_ENV + " (comma-separated). "
        "Requests under any other name, and WebSockets from other sites, are refused",
    )
    parser.add_argument(
        "--games-root",
        type=Path,
        default=None,
        metavar="FOLDER",
        help="the folder that holds the "
        "facilitator page's games; it opens and creates games inside it only (default $"
        + GAMES_ROOT_ENV
        + f", else {DEFAULT_GAMES_ROOT}/ in the folder the app is started from)",
    )
    parser.add_argument(
        "--render-workers",
        type=_workers,
        default=default_workers(),
        metavar="N",
        help="processes that draw the map and charts, so that a class of tabs keeps its pace "
        f"(default {default_workers()}: the cores but one; 0 draws them in the server's process)",
    )
    args = parser.parse_args(argv)
    absent = missing_extra("app", "The classroom app (sahel app, python -m app)")
    if absent:
        _fail(absent)
    allow = [*allow_hosts_from_env(), *args.allow_host]
    try:
        allowed_addresses(args.host, args.port, allow)
    except ValueError as exc:
        _fail(f"--allow-host (or ${ALLOW_HOSTS_ENV}): {exc}.")
    root = (args.games_root or Path(os.environ.get(GAMES_ROOT_ENV) or DEFAULT_GAMES_ROOT)).expanduser()
    if root.exists() and not root.is_dir():
        _fail(f"--games-root {root} is a file, not a folder: give the folder that holds (or will hold) the games.")
    problem = can_listen(args.host, args.port)
    if problem:
        other = args.port + 1 if args.port < 65535 else DEFAULT_PORT
        _fail(f"{problem}. Choose another port with --port (e.g. --port {other}) or another address with --host.")
    serve(args.host, args.port, allow_hosts=allow, games_root=root.resolve(), render_workers=args.render_workers)


if __name__ == "__main__":
    main()
