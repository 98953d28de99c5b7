"""The FastAPI application: `create_app()` (uvicorn: `fintra serve`)."""

from __future__ import annotations

import gc
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from fintra.settings import Settings, get_settings
from serving import problems
from serving.observability import Metrics, ObservabilityMiddleware
from serving.routes import accounts, cases, filings, health, merchants, pii, reports, score, tenants, transfers
from serving.state import ServiceState

DESCRIPTION = """Score transfers before they post, move money with the decision in the ledger's audit trail,
resolve card descriptors, and give apps balances, insights and the issued regulatory reports.

Authenticate with `Authorization: Bearer <key>` (`fintra apikey create --scopes ...`). Errors are RFC 9457
problem+json. Send `X-Correlation-ID` to trace a request (one is made otherwise); it comes back."""


def create_app(settings: Settings | None = None, *, state: ServiceState | None = None) -> FastAPI:
    metrics = state.metrics if state is not None else Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service = state or ServiceState(settings or get_settings(), metrics)
        app.state.service = service
        await service.start()
        # What is loaded by now (libraries, models, pools) lives as long as the process: moved out of the
        # collector's generations, it is not walked again by every full collection during requests.
        gc.freeze()
        stop = threading.Event()
        watcher = threading.Thread(target=service.watch, args=(stop,), name="model-reload", daemon=True)
        watcher.start()
        try:
            yield
        finally:
            stop.set()
            watcher.join(timeout=5)
            await service.stop()
            if state is None:
                service.close()

    # /docs (Swagger UI) and /redoc served with their scripts and styles from the package (fastapi-offline),
    # not from a CDN: the pages work on a machine without internet
    app = FastAPIOffline(
        title="FintraOS Intelligence",
        version="1.0.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        static_url="/docs-assets",
    )
    problems.install(app)
    for module in (transfers, score, cases, filings, pii, tenants, merchants, accounts, reports, health):
        app.include_router(module.router)
    app.add_middleware(ObservabilityMiddleware, metrics=metrics)
    return app
