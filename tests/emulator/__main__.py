"""``python -m emulator --seed examples/mappings --port 0``: run the emulator by hand or for benchmarks.

Run from ``tests/`` or with ``PYTHONPATH=tests``. Prints the base URL (first line) and the environment that
points hfmap at it, then serves until interrupted.
"""

from __future__ import annotations

import argparse
import sys
import threading

from .core import HubEmulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", action="append", default=[], help="mapping file or directory (repeatable)")
    parser.add_argument("--no-models", action="store_true", help="seed mappings only, no Hub/provider models")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 = a free port")
    parser.add_argument(
        "--token", action="append", default=[], help="a Hub token with write rights on every provider"
    )
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every request")
    args = parser.parse_args(argv)

    emu = HubEmulator(args.host, args.port)
    for path in args.seed:
        emu.seed_from_yaml(path, live_models=not args.no_models)
    for token in args.token:
        emu.add_token(token, user="emulator", write_orgs=sorted(emu.state.providers))
    if args.latency:
        emu.set_latency(args.latency)
    url = emu.start()
    print(url, flush=True)
    for name, value in emu.env().items():
        print(f"export {name}={value}", file=sys.stderr, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        emu.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
