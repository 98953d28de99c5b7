-- Merchant curation: descriptors resolution could not place are kept (counted by their name part) to be
-- clustered into candidate merchants; an analyst confirms a cluster as a new merchant, merges one merchant
-- into another or splits aliases off into a new merchant. Every such change is one immutable row of
-- merchants.changes with who, when, why, the model version it was made against, the affected merchants
-- before and after, and its effects; the catalogue as of any version is the seeds plus the effects of the
-- changes up to it, so a resolution served at a version can be reproduced.

CREATE SCHEMA IF NOT EXISTS merchants;

CREATE TABLE merchants.changes (
    change_id     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    actor         text        NOT NULL CHECK (length(btrim(actor)) > 0),
    action        text        NOT NULL CHECK (action IN ('confirm', 'merge', 'split')),
    model_version integer,
    reason        text,
    before        jsonb       NOT NULL,
    after         jsonb       NOT NULL,
    effects       jsonb       NOT NULL CHECK (jsonb_typeof(effects) = 'array')
);

CREATE FUNCTION merchants.changes_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'merchants.changes is an audit log: rows are never updated or deleted'
        USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER changes_are_immutable BEFORE UPDATE OR DELETE OR TRUNCATE ON merchants.changes
    FOR EACH STATEMENT EXECUTE FUNCTION merchants.changes_are_immutable();

CREATE TABLE merchants.unresolved (
    name_key     text        PRIMARY KEY CHECK (length(name_key) > 0),
    example      text        NOT NULL,
    seen         bigint      NOT NULL DEFAULT 1 CHECK (seen > 0),
    first_seen   timestamptz NOT NULL DEFAULT now(),
    last_seen    timestamptz NOT NULL DEFAULT now(),
    confirmed_in bigint      REFERENCES merchants.changes (change_id)
);
CREATE INDEX unresolved_open ON merchants.unresolved (seen DESC) WHERE confirmed_in IS NULL;
