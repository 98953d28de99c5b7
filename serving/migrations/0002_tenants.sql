-- Tenants: every API key belongs to one. An app tenant may act only on the customers and accounts granted
-- to it (serving.tenant_grants); an operator tenant (the platform's own teams) on everything. Keys created
-- before tenants existed had every power: they join the operator tenant `operators`.
CREATE TABLE serving.tenants (
    tenant_id  text        PRIMARY KEY CHECK (tenant_id ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind       text        NOT NULL CHECK (kind IN ('app', 'operator')),
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO serving.tenants (tenant_id, name, kind) VALUES ('operators', 'Platform operators', 'operator');

ALTER TABLE serving.api_keys ADD COLUMN tenant_id text REFERENCES serving.tenants (tenant_id);
UPDATE serving.api_keys SET tenant_id = 'operators';
ALTER TABLE serving.api_keys ALTER COLUMN tenant_id SET NOT NULL;

-- A grant names a customer (every account of theirs, present and future) or one account.
CREATE TABLE serving.tenant_grants (
    grant_id    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   text        NOT NULL REFERENCES serving.tenants (tenant_id),
    customer_id bigint      REFERENCES ledger.customers (customer_id),
    account_id  bigint      REFERENCES ledger.accounts (account_id),
    granted_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz,
    CHECK ((customer_id IS NULL) <> (account_id IS NULL))
);
CREATE UNIQUE INDEX tenant_grants_customer ON serving.tenant_grants (tenant_id, customer_id)
    WHERE revoked_at IS NULL AND customer_id IS NOT NULL;
CREATE UNIQUE INDEX tenant_grants_account ON serving.tenant_grants (tenant_id, account_id)
    WHERE revoked_at IS NULL AND account_id IS NOT NULL;
