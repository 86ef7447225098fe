"""`python -m app [--host 127.0.0.1] [--port 8765]`: start the classroom app."""

from __future__ import annotations

import argparse

from app.server import DEFAULT_HOST, DEFAULT_PORT, serve


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve the page."""
    parser = argparse.ArgumentParser(prog="python -m app", description="The classroom app: a local web page that "
                                     "runs the Sahel influence model step by step.")
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST}: this "
                        "computer only; 0.0.0.0 lets other computers on the network connect)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    args = parser.parse_args(argv)
    serve(args.host, args.port)


if __name__ == "__main__":
    main()
