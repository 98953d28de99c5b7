"""What the service holds while it runs: database pools, the ledger client, the production risk model
and merchant index (loaded from the registry, swapped when a new version is promoted), the watch list's
screener and the decision rules' policy, rate buckets, metrics and a short cache of authenticated keys."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from psycopg_pool import AsyncConnectionPool

from features.online import GENERIC_PLANS, warm_async
from features.screening import Screener, load_watchlist
from fintra.database import database_url
from fintra.embedded_nats import EmbeddedNats
from fintra.embedded_redis import EmbeddedRedis
from fintra.lake import Lake
from fintra.pools import AsyncLivePool, LivePool
from fintra.settings import Settings
from ledger import Ledger
from ledger.durable_consumer import consumer_figures
from ledger.outbox import outbox_backlog
from ledger.reads import AccountFacts, account_facts
from models.merchants import curation
from models.merchants.build import NAME as MERCHANTS
from models.merchants.build import resolver_from_registry
from models.merchants.resolve import MerchantResolver
from models.registry import Registry, RegistryError
from models.risk.scorer import NAME as RISK
from models.risk.scorer import RiskScorer
from serving import keys
from serving.engine import Policy
from serving.observability import Metrics
from serving.ratelimit import RateLimiter, SharedLimiter
from serving.signins import SignInThrottle
from serving.tenants import MAY_USE
from serving.views import ViewStore

log = logging.getLogger("serving.state")
KEY_CACHE_SECONDS = 0.5
"""How long a worker trusts what it read of a key (and of a tenant's grant): a revocation or a withdrawn
grant takes effect on every worker within this, at the cost of one indexed lookup per key per interval."""
KEY_CACHE_SIZE = 10_000
"""Tokens remembered per worker, valid or not (least recently used dropped first): bounded, so that a
flood of made-up tokens cannot grow memory."""
ACCOUNT_CACHE_SIZE = 100_000
CURATED_VERSIONS_KEPT = 4


@dataclass(frozen=True, slots=True)
class LoadedModels:
    scorer: RiskScorer | None = None
    resolver: MerchantResolver | None = None
    problems: dict[str, str] = field(default_factory=dict)


VIEWS_TIMEOUT_S = 0.25
"""How long a request waits for the read store before it reads the database instead."""


def open_views(settings: Settings) -> ViewStore | None:
    """The read store of FINTRA_REDIS_URL, else the embedded one if it is running (the API never starts
    it: `fintra up` does); None without one, and balances are read from the database."""
    url = settings.redis_url or EmbeddedRedis(settings.redis_data_dir).status().url
    return ViewStore(url, timeout=VIEWS_TIMEOUT_S) if url else None


class ServiceState:
    def __init__(self, settings: Settings, metrics: Metrics | None = None) -> None:
        self.settings = settings
        self.url = database_url(settings)
        # Autocommit: reads need no BEGIN/COMMIT round trips; writes take an explicit conn.transaction().
        self._connection = {"autocommit": True, "options": GENERIC_PLANS}
        # Every pool tests a connection as it lends it (fintra.pools: a server restart leaves idle connections
        # dead: replaced, not failed) and waits at most `db_wait_seconds` for one, so that while the database is
        # down a request is answered 503 (serving.problems) at once instead of hanging.
        wait = settings.db_wait_seconds
        self.pool = LivePool(
            self.url,
            min_size=1,
            max_size=10,
            open=True,
            name="serving",
            kwargs=self._connection,
            timeout=wait,
        )
        self._async_pools: dict[asyncio.AbstractEventLoop, tuple[AsyncConnectionPool, int]] = {}
        self.ledger = Ledger(self.url, pool_size=8, connect_timeout=wait)
        self.lake = Lake.from_settings(settings)
        self.registry = Registry(self.lake)
        self.limiter = RateLimiter()
        self.shared_limiter = SharedLimiter()
        self.metrics = metrics or Metrics()
        self._keys: OrderedDict[bytes, tuple[keys.Principal | None, float]] = OrderedDict()
        self._grants: OrderedDict[tuple[str, int], tuple[bool, float]] = OrderedDict()
        self.signins = SignInThrottle()
        self._accounts: dict[str, AccountFacts] = {}
        self._lock = threading.Lock()
        self.models = LoadedModels()
        self._curated: dict[tuple[int | None, int], MerchantResolver] = {}
        # The watch list is read once: a new list is served from the next start.
        self.screener = Screener(load_watchlist(settings.watchlist_path))
        self.policy = Policy(drain_share=settings.rule_drain_share, new_payee_days=settings.rule_new_payee_days)
        self.views = open_views(settings)
        bus = settings.nats_url or EmbeddedNats(settings.nats_data_dir).status().url  # never started by the API
        self.metrics.watch_bus(
            self._outbox_figures,
            self.views.lag_seconds if self.views is not None else None,
            functools.partial(consumer_figures, bus) if bus else None,
        )
        self.reload()

    # -- merchant curation ------------------------------------------------------------------------------
    def resolver_at(self, catalogue_version: int | None = None) -> MerchantResolver | None:
        """The production resolver with analysts' changes up to `catalogue_version` (the latest when None);
        the last few versions stay built (a version is immutable once written)."""
        base = self.models.resolver
        if base is None:
            return None
        with self.pool.connection() as conn:
            version = curation.current_version(conn) if catalogue_version is None else catalogue_version
            key = (base.version, version)
            with self._lock:
                cached = self._curated.get(key)
            if cached is not None:
                return cached
            built = base if version == 0 else base.curated(curation.state(conn, version))
        with self._lock:
            self._curated[key] = built
            while len(self._curated) > CURATED_VERSIONS_KEPT:
                self._curated.pop(next(iter(self._curated)))
        return built

    # -- models -------------------------------------------------------------------------------------
    def _production(self, name: str) -> int | None:
        try:
            return self.registry.production_version(name)
        except (OSError, ValueError) as exc:
            log.warning("cannot read the %s production pointer: %s", name, exc)
            return None

    def reload(self) -> bool:
        """Load what the registry's production pointers name, where it differs from what is served."""
        current = self.models
        scorer, resolver, problems = current.scorer, current.resolver, dict(current.problems)
        risk = self._production(RISK)
        if risk is None:
            problems[RISK] = "no production risk model: train one (fintra models train risk)"
        elif scorer is None or scorer.version != risk:
            try:
                scorer = RiskScorer.from_registry(self.registry, risk)
                problems.pop(RISK, None)
            except (RegistryError, OSError) as exc:
                problems[RISK] = str(exc)
        merchants = self._production(MERCHANTS)
        if merchants is None:
            problems[MERCHANTS] = "no production merchant index: build one (fintra models train merchants)"
        elif resolver is None or getattr(resolver, "version", None) != merchants:
            try:
                resolver = self._resolver(merchants)
                problems.pop(MERCHANTS, None)
            except Exception as exc:  # the previous index keeps serving; the problem shows in /readyz
                problems[MERCHANTS] = f"merchant index v{merchants} could not be loaded: {exc}"
        changed = scorer is not current.scorer or resolver is not current.resolver
        self.models = LoadedModels(scorer, resolver, problems)
        if scorer is not None:
            self.metrics.model_version.labels(RISK).set(scorer.version)
        if resolver is not None:
            self.metrics.model_version.labels(MERCHANTS).set(resolver.version or 0)
        return changed

    def _resolver(self, version: int) -> MerchantResolver:
        return resolver_from_registry(self.registry, self.settings, version)

    def watch(self, stop: threading.Event) -> None:
        """Reload promoted models every `model_reload_seconds` until `stop` is set."""
        while not stop.wait(self.settings.model_reload_seconds):
            try:
                if self.reload():
                    log.info("serving newly promoted models")
            except Exception:
                log.exception("model reload failed; the previous models keep serving")

    # -- keys ---------------------------------------------------------------------------------------
    def cached_principal(self, token: str) -> tuple[bool, keys.Principal | None]:
        """(known, principal) from the cache of recently authenticated tokens, without I/O."""
        cached = self._keys.get(hashlib.sha256(token.encode()).digest())
        if cached is not None and cached[1] > time.monotonic():
            return True, cached[0]
        return False, None

    def may_use(self, principal: keys.Principal, facts: AccountFacts) -> bool:
        """Whether the caller's tenant may act on this account: an operator always; an app tenant with a
        live grant on the account or its customer (read at most `KEY_CACHE_SECONDS` ago)."""
        if principal.operator:
            return True
        key, now = (principal.tenant_id, facts.account_id), time.monotonic()
        cached = self._grants.get(key)
        if cached is not None and cached[1] > now:
            return cached[0]
        with self.pool.connection() as conn:
            row = conn.execute(MAY_USE, (principal.tenant_id, facts.account_id, facts.customer_id)).fetchone()
        allowed = bool(row and row[0])
        with self._lock:
            self._grants[key] = (allowed, now + KEY_CACHE_SECONDS)
            self._grants.move_to_end(key)
            while len(self._grants) > ACCOUNT_CACHE_SIZE:
                self._grants.popitem(last=False)
        return allowed

    def principal(self, token: str) -> keys.Principal | None:
        known, found = self.cached_principal(token)
        if known:
            return found
        digest, now = hashlib.sha256(token.encode()).digest(), time.monotonic()
        with self.pool.connection() as conn:
            found = keys.authenticate(conn, token)
        with self._lock:
            self._keys[digest] = (found, now + KEY_CACHE_SECONDS)
            self._keys.move_to_end(digest)
            while len(self._keys) > KEY_CACHE_SIZE:
                self._keys.popitem(last=False)
        return found

    # -- the event loop's pool -------------------------------------------------------------------------
    # An asyncio pool belongs to the loop it was opened in; a state shared by two apps (tests) or started
    # twice in one loop gets one pool per loop, closed when the last app of that loop stops.
    async def start(self) -> None:
        """Open the asyncio pool of the scoring path in the running loop (the app's lifespan)."""
        loop = asyncio.get_running_loop()
        pool, users = self._async_pools.get(loop, (None, 0))
        if pool is None:
            # A few connections: one scoring query takes ~1 ms of the database, and each connection plans
            # the statement again after an ANALYZE; more would queue in the database instead of here.
            pool = AsyncLivePool(
                self.url,
                min_size=2,
                max_size=2,
                open=False,
                name="serving-async",
                kwargs={**self._connection, "prepare_threshold": 0},
                configure=warm_async,
                timeout=self.settings.db_wait_seconds,
            )
            await pool.open()
        self._async_pools[loop] = (pool, users + 1)

    async def stop(self) -> None:
        loop = asyncio.get_running_loop()
        pool, users = self._async_pools.pop(loop, (None, 0))
        if pool is not None and users > 1:
            self._async_pools[loop] = (pool, users - 1)
        elif pool is not None:
            await pool.close()

    def async_pool(self) -> AsyncConnectionPool:
        found = self._async_pools.get(asyncio.get_running_loop())
        if found is None:
            raise RuntimeError("the service is not started in this event loop: await ServiceState.start() first")
        return found[0]

    # -- accounts -----------------------------------------------------------------------------------
    def cached_accounts(self, *codes: str) -> dict[str, AccountFacts]:
        """The facts of `codes` that are cached (no I/O)."""
        return {code: self._accounts[code] for code in codes if code in self._accounts}

    def accounts(self, *codes: str) -> dict[str, AccountFacts]:
        """The facts of the accounts named by `codes` that exist (cached: they never change)."""
        missing = [code for code in codes if code not in self._accounts]
        if missing:
            with self.pool.connection() as conn:
                found = account_facts(conn, missing)
            with self._lock:
                if len(self._accounts) + len(found) > ACCOUNT_CACHE_SIZE:
                    self._accounts.clear()
                self._accounts.update((facts.code, facts) for facts in found)
        return {code: self._accounts[code] for code in codes if code in self._accounts}

    def _outbox_figures(self) -> tuple[int, float]:
        with self.pool.connection() as conn:
            return outbox_backlog(conn)

    def close(self) -> None:
        self.ledger.close()
        self.pool.close()
        if self.views is not None:
            self.views.close()
