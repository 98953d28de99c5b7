-- API keys of the serving layer: the secret is stored as its SHA-256 only (keys are long random
-- strings, so a fast hash is enough); scopes say what a key may call; each key has its own rate.
CREATE SCHEMA IF NOT EXISTS serving;

CREATE TABLE serving.api_keys (
    key_id          text        PRIMARY KEY CHECK (key_id ~ '^[a-z0-9]{12}$'),
    secret_sha256   bytea       NOT NULL,
    name            text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    scopes          text[]      NOT NULL,
    rate_per_minute integer     NOT NULL CHECK (rate_per_minute > 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz
);
