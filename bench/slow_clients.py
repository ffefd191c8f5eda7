"""Slow clients: connections that send part of their headers and then nothing.

    python bench/slow_clients.py [--connections 500] [--wait 22] [--header-timeout 10]

Starts the fake Gemini and `bookchat serve` as `make bench` does (bench/run.py), opens
`--connections` sockets that each send half a request line and headers, waits `--wait`
seconds, and reports how many the server still holds open (a socket the server closed reads
EOF, or the 408 it sent first). Reports numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import select
import socket
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import bench_env, free_port, ingest_book, start_fake, start_service


def still_open(sock: socket.socket) -> bool:
    readable, _, _ = select.select([sock], [], [], 0)
    if not readable:
        return True
    try:
        while chunk := sock.recv(65536):
            if not select.select([sock], [], [], 0.05)[0]:
                return False  # a 408 then the close (or the close on its way)
            del chunk
    except OSError:
        return False
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--connections", type=int, default=500)
    parser.add_argument("--wait", type=float, default=22.0)
    parser.add_argument("--header-timeout", type=float, default=None, help="unset: the default")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bookchat-slow-") as tmp:
        fake_port, port = free_port(), free_port()
        env = bench_env(fake_port, Path(tmp) / "qdrant")
        if args.header_timeout is not None:
            env["BOOKCHAT_HEADER_TIMEOUT"] = str(args.header_timeout)
        processes = [start_fake(fake_port, env, latency=False)]
        try:
            ingest_book(env)
            processes.append(start_service(port, env))
            sockets = []
            for _ in range(args.connections):
                sock = socket.create_connection(("127.0.0.1", port))
                sock.sendall(b"POST /chat HTTP/1.1\r\nHost: bench\r\nContent-Ty")
                sockets.append(sock)
            started = time.monotonic()
            time.sleep(args.wait)
            open_now = sum(still_open(sock) for sock in sockets)
            print(
                f"{open_now} of {len(sockets)} slow connections still open after "
                f"{time.monotonic() - started:.0f} s "
                f"(BOOKCHAT_HEADER_TIMEOUT={env.get('BOOKCHAT_HEADER_TIMEOUT', 'default')})"
            )
            for sock in sockets:
                sock.close()
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    main()
