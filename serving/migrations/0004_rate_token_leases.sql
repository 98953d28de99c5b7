-- A serving process takes a key's tokens from the shared bucket a second's worth at a time (a lease it
-- spends locally), not one per request: one round trip per lease. `granted` is how many of `p_wanted` it
-- got (0 when the bucket is empty), `tokens` what the bucket holds after.
CREATE FUNCTION serving.take_rate_tokens(
    p_key_id text, p_per_minute integer, p_wanted integer, OUT tokens float8, OUT granted integer
)
LANGUAGE plpgsql AS $$
DECLARE
    at timestamptz := clock_timestamp();
BEGIN
    INSERT INTO serving.rate_buckets (key_id, tokens, refilled_at) VALUES (p_key_id, p_per_minute, at)
    ON CONFLICT (key_id) DO NOTHING;
    SELECT least(p_per_minute, b.tokens + extract(epoch FROM at - b.refilled_at) * p_per_minute / 60.0)
      INTO tokens FROM serving.rate_buckets AS b WHERE b.key_id = p_key_id FOR UPDATE;
    granted := least(p_wanted, floor(tokens))::integer;
    tokens := tokens - granted;
    UPDATE serving.rate_buckets SET tokens = take_rate_tokens.tokens, refilled_at = at WHERE key_id = p_key_id;
END
$$;

-- its one-token predecessor is no longer called
DROP FUNCTION serving.take_rate_token(text, integer);
