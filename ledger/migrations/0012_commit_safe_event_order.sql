-- Commit-safe reading of the event store without a global lock.
--
-- Until now every writer took the `ledger.event_seq` advisory lock before appending events and held it
-- to COMMIT (migration 0002), so `seq` became visible in commit order; it also made every writer queue
-- behind the one before it. Now each event records the transaction that wrote it (`txid`). Every
-- transaction with an id below pg_snapshot_xmin(pg_current_snapshot()) has ended, committed or rolled
-- back, so the events whose txid is below that bound are final: no later commit can add one there.
-- Consumers (ledger.events.read_all, the lake's event extraction) page in (txid, seq) order up to that
-- bound, so an event that commits late with a lower seq is read after, never skipped.
--
-- Rows written before this migration get txid 1: they come first, in seq order, as before.
ALTER TABLE ledger.event_store ADD COLUMN txid xid8 NOT NULL DEFAULT '1';
ALTER TABLE ledger.event_store ALTER COLUMN txid SET DEFAULT pg_current_xact_id();
CREATE INDEX event_store_commit_order ON ledger.event_store (txid, seq);
