-- Event store and transactional outbox.
--
-- Every ledger write appends events to the stream of each account it changes, in the same
-- transaction, with version = the account's balances.version after the change; UNIQUE(aggregate_id,
-- version) turns a concurrent writer that read a stale version into a constraint violation
-- (optimistic concurrency). `seq` is a global, gap-tolerant but commit-ordered sequence for consumers:
-- writers take the `ledger.event_seq` advisory lock before appending and keep it to commit, so a
-- reader that has seen seq N will never later see a committed event with seq < N.

CREATE TABLE ledger.event_store (
    seq            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- random (v4), for consumers to dedupe by; `seq` and (aggregate_id, version) are the keys, so no
    -- unique index is paid for on every append
    event_id       uuid        NOT NULL,
    aggregate_type text        NOT NULL CHECK (aggregate_type ~ '^[a-z_]+$'),
    aggregate_id   text        NOT NULL,
    version        bigint      NOT NULL CHECK (version >= 1),
    event_type     text        NOT NULL CHECK (event_type ~ '^[a-z]+(\.[a-z_]+)+\.v[0-9]+$'),
    schema_version smallint    NOT NULL CHECK (schema_version >= 1),
    payload        jsonb       NOT NULL,
    correlation_id text,
    causation_id   text,
    occurred_at    timestamptz NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (aggregate_id, version)
);

CREATE TRIGGER event_store_append_only BEFORE UPDATE OR DELETE ON ledger.event_store
    FOR EACH ROW EXECUTE FUNCTION ledger.reject_mutation();
CREATE TRIGGER event_store_no_truncate BEFORE TRUNCATE ON ledger.event_store
    FOR EACH STATEMENT EXECUTE FUNCTION ledger.reject_mutation();

-- One row per event to publish. The relay marks rows published (the only mutable column);
-- the message body is the event itself. Rows are inserted from the RETURNING of the event insert
-- (ledger.write.append_event_rows), so event_seq always names a stored event; a foreign key would
-- cost one lookup per event on the hottest path for no extra guarantee.
CREATE TABLE ledger.outbox (
    outbox_id     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_seq     bigint      NOT NULL UNIQUE,
    topic         text        NOT NULL,
    partition_key text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    attempts      integer     NOT NULL DEFAULT 0,
    last_error    text,
    published_at  timestamptz
);
CREATE INDEX outbox_pending ON ledger.outbox (outbox_id) WHERE published_at IS NULL;

-- Used by writers to fail a statement (and so its transaction) when a set-based write touched a
-- different number of rows than it meant to.
CREATE FUNCTION ledger.expect_rows(actual bigint, expected bigint, what text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF actual <> expected THEN
        RAISE EXCEPTION '% rows written for %, expected %', actual, what, expected USING ERRCODE = 'FL003';
    END IF;
END;
$$;
