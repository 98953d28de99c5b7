"""A NATS server of a test module's own, and streams of a test's own: the modules that create streams of the
relay's subjects cannot share the session's server, where the CLI tests create FINTRA_EVENTS (streams may
not share subjects)."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from fintra.embedded_nats import EmbeddedNats
from ledger.jetstream import delete_stream


def own_nats_server() -> Iterator[str]:
    """A module fixture's body: a NATS JetStream server started in a folder of its own, then removed."""
    root = Path(tempfile.mkdtemp(prefix="fintra-js-", dir="/tmp"))
    server = EmbeddedNats(root)
    yield server.start()
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


def own_stream(servers: str) -> Iterator[str]:
    """A test fixture's body: a stream name of the test's own, the stream deleted after it."""
    name = f"T_{uuid.uuid4().hex[:12].upper()}"
    yield name
    delete_stream(servers, name)
