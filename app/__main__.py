"""`python -m app [--host 127.0.0.1] [--port 8765]`: start the classroom app."""

from __future__ import annotations

import argparse
import socket
import sys

from app.server import DEFAULT_HOST, DEFAULT_PORT, serve
from sim.extras import missing_extra


def _port(text: str) -> int:
    """A TCP port number, 1 to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number: give a whole number from 1 to 65535, "
                                         f"e.g. --port {DEFAULT_PORT}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number: give a whole number from 1 to 65535, "
                                         f"e.g. --port {DEFAULT_PORT}")
    return port


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
    parser = argparse.ArgumentParser(prog="python -m app", description="The classroom app: a local web page that "
                                     "runs the Sahel influence model step by step.")
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST}: this "
                        "computer only; 0.0.0.0 lets other computers on the network connect)")
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"port, 1 to 65535 (default {DEFAULT_PORT})")
    args = parser.parse_args(argv)
    absent = missing_extra("app", "The classroom app (sahel app, python -m app)")
    if absent:
        print(f"error: {absent}", file=sys.stderr)
        sys.exit(2)
    problem = can_listen(args.host, args.port)
    if problem:
        other = args.port + 1 if args.port < 65535 else DEFAULT_PORT
        print(f"error: {problem}. Choose another port with --port (e.g. --port {other}) or another address with "
              f"--host.", file=sys.stderr)
        sys.exit(2)
    serve(args.host, args.port)


if __name__ == "__main__":
    main()
