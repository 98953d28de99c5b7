"""A small HTTP/1.1 load generator for the serving benchmark.

httpx costs ~1 ms of CPU per request, which on a 2-core machine is taken from the server being measured;
this client sends pre-encoded requests on keep-alive connections over asyncio streams (uvloop when
installed) and reads each response by its Content-Length, about 30 µs per request.

Two ways to drive a server:
- `closed_loop`: every connection sends its next request as soon as the previous answer arrives (the
  most the server can do; latency then includes the queue of the other connections' requests).
- `open_loop`: requests are due at a fixed total rate spread over the connections, and each latency is
  measured from the moment its request was due, so a server that falls behind is charged for the wait
  (no coordinated omission). This is how a latency target at a given rate is checked.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    elapsed: float = 0.0
    seconds: list[int] = field(default_factory=list)  # open loop: the second of the run each was due in

    def worst_second(self) -> dict[str, Any]:
        """The second of the run with the highest p99 (stalls hide in a whole run's p99)."""
        by_second: dict[int, list[float]] = {}
        for second, latency in zip(self.seconds, self.latencies, strict=True):
            by_second.setdefault(second, []).append(latency)
        second, values = max(by_second.items(), key=lambda item: _quantile(sorted(item[1]), 0.99))
        return {"second": second, "requests": len(values), "p99_ms": round(_quantile(sorted(values), 0.99) * 1000, 2)}

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies)
        count = len(ordered)

        def quantile(q: float) -> float:
            return round(_quantile(ordered, q) * 1000, 2) if count else float("nan")

        extra = {"worst_second": self.worst_second()} if self.seconds and count else {}
        return {
            "requests": count,
            "req_per_s": round(count / self.elapsed, 1) if self.elapsed else 0.0,
            "p50_ms": quantile(0.50),
            "p90_ms": quantile(0.90),
            "p99_ms": quantile(0.99),
            "max_ms": quantile(1.0),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            **extra,
        }


def _quantile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def request_bytes(
    method: str, path: str, host: str, headers: dict[str, str], body: dict[str, Any] | None = None
) -> bytes:
    payload = b"" if body is None else json.dumps(body).encode()
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(payload)}"]
    if body is not None:
        lines.append("Content-Type: application/json")
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
            break
    if length:
        await reader.readexactly(length)
    return status


Requests = Callable[[int], bytes]  # the i-th request of a run, pre-encoded


async def closed_loop(host: str, port: int, requests: Requests, connections: int, seconds: float) -> Outcome:
    outcome = Outcome()
    stop = time.perf_counter() + seconds

    async def connection(n: int) -> None:
        reader, writer = await asyncio.open_connection(host, port)
        i = n
        try:
            while time.perf_counter() < stop:
                started = time.perf_counter()
                status = await _exchange(reader, writer, requests(i))
                outcome.latencies.append(time.perf_counter() - started)
                outcome.statuses[status] = outcome.statuses.get(status, 0) + 1
                i += connections
        finally:
            writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(connection(n) for n in range(connections)))
    outcome.elapsed = time.perf_counter() - began
    return outcome


async def open_loop(host: str, port: int, requests: Requests, connections: int, seconds: float, rate: float) -> Outcome:
    """`rate` requests per second in all, connection n due at its own evenly spaced times."""
    outcome = Outcome()
    interval = connections / rate

    async def connection(n: int, began: float) -> None:
        reader, writer = await asyncio.open_connection(host, port)
        i = 0
        try:
            while True:
                due = began + (n / connections + i) * interval
                if due - began >= seconds:
                    return
                wait = due - time.perf_counter()
                if wait > 0:
                    await asyncio.sleep(wait)
                status = await _exchange(reader, writer, requests(n + i * connections))
                outcome.latencies.append(time.perf_counter() - due)
                outcome.seconds.append(int(due - began))
                outcome.statuses[status] = outcome.statuses.get(status, 0) + 1
                i += 1
        finally:
            writer.close()

    began = time.perf_counter() + 0.2  # connections open before the first request is due
    await asyncio.gather(*(connection(n, began) for n in range(connections)))
    outcome.elapsed = max(time.perf_counter() - began, seconds)
    return outcome


def run(coroutine: Any) -> Outcome:
    try:
        import uvloop

        return uvloop.run(coroutine)  # type: ignore[no-any-return]
    except ImportError:
        return asyncio.run(coroutine)  # type: ignore[no-any-return]
