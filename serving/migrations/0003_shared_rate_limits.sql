-- Rate limits shared by every serving process: one token bucket per key (a minute's worth of requests,
-- refilled continuously), taken from in one call per request (serving.ratelimit.take_shared). Unlogged: a
-- bucket is worth nothing after a crash (it refills within a minute), and writes to it skip the WAL.
CREATE UNLOGGED TABLE serving.rate_buckets (
    key_id      text             PRIMARY KEY,
    tokens      double precision NOT NULL,
    refilled_at timestamptz      NOT NULL
);

-- Refill the key's bucket for the time since its last request (at most a minute's worth), take a token
-- if there is one; `granted` says whether there was. The row lock orders concurrent requests of a key.
CREATE FUNCTION serving.take_rate_token(p_key_id text, p_per_minute integer, OUT tokens float8, OUT granted boolean)
LANGUAGE plpgsql AS $$
DECLARE
    at timestamptz := clock_timestamp();
BEGIN
    INSERT INTO serving.rate_buckets (key_id, tokens, refilled_at) VALUES (p_key_id, p_per_minute, at)
    ON CONFLICT (key_id) DO NOTHING;
    SELECT least(p_per_minute, b.tokens + extract(epoch FROM at - b.refilled_at) * p_per_minute / 60.0)
      INTO tokens FROM serving.rate_buckets AS b WHERE b.key_id = p_key_id FOR UPDATE;
    granted := tokens >= 1;
    IF granted THEN
        tokens := tokens - 1;
    END IF;
    UPDATE serving.rate_buckets SET tokens = take_rate_token.tokens, refilled_at = at WHERE key_id = p_key_id;
END
$$;
