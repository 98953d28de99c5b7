"""Correlation ids, access logs and Prometheus metrics for every request.

`X-Correlation-ID` is taken from the request when it is a sane token (else a new UUID), set for the
request's logs and ledger writes, and returned. Access logs are JSON lines with the route template,
status, latency and key id: never bodies, account codes or personal data."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from fintra.logs import correlation

HEADER = "x-correlation-id"
_SANE = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")
log = logging.getLogger("serving.access")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class Metrics:
    """The service's Prometheus metrics, in a registry of their own (one per application)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "fintra_http_requests", "HTTP requests", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "fintra_http_request_seconds",
            "HTTP request latency",
            ["route"],
            buckets=(0.002, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
            registry=self.registry,
        )
        self.decisions = Counter("fintra_risk_decisions", "Transfer decisions", ["decision"], registry=self.registry)
        self.model_version = Gauge(
            "fintra_model_version", "Production version served", ["model"], registry=self.registry
        )
        self._bus: BusCollector | None = None

    def watch_bus(
        self,
        read_outbox: Callable[[], tuple[int, float]],
        read_views_lag: Callable[[], float | None] | None,
        read_consumers: Callable[[], dict[str, tuple[float, float]]] | None,
    ) -> None:
        """Report the event bus's figures from these sources (the latest service's, if several share the
        metrics)."""
        if self._bus is None:
            self._bus = BusCollector(read_outbox, read_views_lag, read_consumers)
            self.registry.register(self._bus)
        else:
            self._bus.read_outbox, self._bus.read_views_lag = read_outbox, read_views_lag
            self._bus.read_consumers = read_consumers


class BusCollector(Collector):
    """The event bus's figures, read when Prometheus scrapes: the outbox the relay has still to publish
    (`read_outbox`: pending events, age of the oldest), the views' lag behind the ledger (`read_views_lag`,
    from the read store) and every durable consumer's backlog and dead letters (`read_consumers`, from
    JetStream: `ledger.durable_consumer.consumer_figures`). A source that fails is left out of the scrape."""

    def __init__(
        self,
        read_outbox: Callable[[], tuple[int, float]],
        read_views_lag: Callable[[], float | None] | None,
        read_consumers: Callable[[], dict[str, tuple[float, float]]] | None,
    ) -> None:
        self.read_outbox, self.read_views_lag, self.read_consumers = read_outbox, read_views_lag, read_consumers

    def collect(self) -> Any:
        try:
            pending, oldest = self.read_outbox()
        except Exception:  # a scrape must not fail because the database is down
            log.warning("metrics: outbox unreadable")
        else:
            yield GaugeMetricFamily("fintra_outbox_pending_events", "Outbox events not yet published", pending)
            yield GaugeMetricFamily(
                "fintra_relay_lag_seconds", "Age of the oldest event the relay has not published (0: none)", oldest
            )
        if self.read_views_lag is not None:
            try:
                lag = self.read_views_lag()
            except Exception:  # nor because the read store is
                log.warning("metrics: read store unreadable")
            else:
                if lag is not None:
                    yield GaugeMetricFamily(
                        "fintra_views_lag_seconds", "How far the read store's views may be behind the ledger", lag
                    )
        if self.read_consumers is None:
            return
        try:
            consumers = self.read_consumers()
        except Exception:  # nor because the bus is
            log.warning("metrics: event bus unreadable")
            return
        pending_family = GaugeMetricFamily(
            "fintra_bus_consumer_pending",
            "Messages a durable consumer has still to read or acknowledge",
            labels=["consumer"],
        )
        dead = CounterMetricFamily(
            "fintra_bus_dead_letters", "Messages a consumer sent to its dead-letter subject", labels=["consumer"]
        )
        for name, (backlog, letters) in sorted(consumers.items()):
            pending_family.add_metric([name], backlog)
            dead.add_metric([name], letters)
        yield pending_family
        yield dead


def _route(scope: Scope) -> str:
    route = scope.get("route")
    return getattr(route, "path", None) or "unmatched"


class ObservabilityMiddleware:
    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v.decode() for k, v in scope["headers"] if k == HEADER.encode()), None)
        status = {"code": 500}
        started = time.perf_counter()
        with correlation(given if given and _SANE.match(given) else None) as cid:

            async def send_with_id(message: Message) -> None:
                if message["type"] == "http.response.start":
                    status["code"] = message["status"]
                    message.setdefault("headers", []).append((HEADER.encode(), cid.encode()))
                await send(message)

            try:
                await self.app(scope, receive, send_with_id)
            finally:
                elapsed = time.perf_counter() - started
                route = _route(scope)
                self.metrics.requests.labels(scope["method"], route, str(status["code"])).inc()
                self.metrics.latency.labels(route).observe(elapsed)
                state = scope.get("state") or {}
                log.info(
                    "request",
                    extra={
                        "fields": {
                            "method": scope["method"],
                            "route": route,
                            "status": status["code"],
                            "ms": round(elapsed * 1000, 2),
                            "key_id": state.get("key_id"),
                        }
                    },
                )
