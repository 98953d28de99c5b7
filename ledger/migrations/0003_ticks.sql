-- Market data: FX rates and crypto prices, and one-minute OHLCV bars.
-- Natively: a monthly-partitioned table and a materialized view refreshed by ledger.refresh_ohlcv_1m().
-- With TimescaleDB: a hypertable and a continuous aggregate (refreshed by its policy; the refresh
-- function then asks TimescaleDB to refresh the whole range).

CREATE TABLE ledger.ticks (
    symbol text           NOT NULL CHECK (symbol ~ '^[A-Z0-9]{2,10}/[A-Z0-9]{2,10}$'),
    ts     timestamptz    NOT NULL,
    price  numeric(28,18) NOT NULL CHECK (price > 0),
    volume numeric(38,18) NOT NULL DEFAULT 0 CHECK (volume >= 0),
    source text           NOT NULL DEFAULT 'unknown',
    PRIMARY KEY (symbol, ts)
) PARTITION BY RANGE (ts);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        DROP TABLE ledger.ticks;
        CREATE TABLE ledger.ticks (
            symbol text           NOT NULL CHECK (symbol ~ '^[A-Z0-9]{2,10}/[A-Z0-9]{2,10}$'),
            ts     timestamptz    NOT NULL,
            price  numeric(28,18) NOT NULL CHECK (price > 0),
            volume numeric(38,18) NOT NULL DEFAULT 0 CHECK (volume >= 0),
            source text           NOT NULL DEFAULT 'unknown',
            PRIMARY KEY (symbol, ts)
        );
        PERFORM create_hypertable('ledger.ticks', 'ts', chunk_time_interval => interval '1 day');
        EXECUTE $cagg$
            CREATE MATERIALIZED VIEW ledger.ohlcv_1m WITH (timescaledb.continuous) AS
            SELECT symbol, time_bucket(interval '1 minute', ts) AS bucket,
                   first(price, ts) AS open, max(price) AS high, min(price) AS low,
                   last(price, ts) AS close, sum(volume) AS volume, count(*) AS ticks
              FROM ledger.ticks GROUP BY symbol, time_bucket(interval '1 minute', ts)
            WITH NO DATA
        $cagg$;
        PERFORM add_continuous_aggregate_policy('ledger.ohlcv_1m',
            start_offset => interval '7 days', end_offset => interval '1 minute',
            schedule_interval => interval '1 minute');
        EXECUTE $fn$
            CREATE FUNCTION ledger.refresh_ohlcv_1m() RETURNS void LANGUAGE plpgsql AS $body$
            BEGIN
                CALL refresh_continuous_aggregate('ledger.ohlcv_1m', NULL, NULL);
            END;
            $body$
        $fn$;
    ELSE
        CREATE MATERIALIZED VIEW ledger.ohlcv_1m AS
        SELECT symbol,
               date_bin(interval '1 minute', ts, timestamptz '2000-01-01 00:00:00+00') AS bucket,
               (array_agg(price ORDER BY ts))[1]      AS open,
               max(price)                              AS high,
               min(price)                              AS low,
               (array_agg(price ORDER BY ts DESC))[1] AS close,
               sum(volume)                             AS volume,
               count(*)                                AS ticks
          FROM ledger.ticks
         GROUP BY symbol, date_bin(interval '1 minute', ts, timestamptz '2000-01-01 00:00:00+00')
        WITH NO DATA;
        -- the unique index makes REFRESH ... CONCURRENTLY possible (readers are never blocked)
        CREATE UNIQUE INDEX ohlcv_1m_symbol_bucket ON ledger.ohlcv_1m (symbol, bucket);
        CREATE FUNCTION ledger.refresh_ohlcv_1m() RETURNS void LANGUAGE plpgsql AS $body$
        BEGIN
            IF EXISTS (SELECT 1 FROM pg_matviews WHERE schemaname = 'ledger' AND matviewname = 'ohlcv_1m'
                       AND ispopulated) THEN
                REFRESH MATERIALIZED VIEW CONCURRENTLY ledger.ohlcv_1m;
            ELSE
                REFRESH MATERIALIZED VIEW ledger.ohlcv_1m;
            END IF;
        END;
        $body$;
    END IF;
END;
$$;
