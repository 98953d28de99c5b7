-- Ground truth of simulated activity, kept apart from the ledger: what really happened behind each
-- card payment (the merchant), and which customers, accounts and entries each injected typology
-- (structuring, money mules, ...) involves. Models and alert rules are scored against it; nothing in
-- the ledger points here.

CREATE SCHEMA IF NOT EXISTS sim;

CREATE TABLE sim.runs (
    run_key        text        PRIMARY KEY,
    seed           bigint      NOT NULL,
    customers      integer     NOT NULL,
    days           integer     NOT NULL,
    start_date     date        NOT NULL,
    typology_share numeric     NOT NULL,
    started_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz,
    stats          jsonb       NOT NULL DEFAULT '{}'::jsonb
);

CREATE TABLE sim.merchants (
    merchant_id text    PRIMARY KEY,
    name        text    NOT NULL UNIQUE,
    mcc         integer NOT NULL,
    category    text    NOT NULL,
    country     text    NOT NULL,
    processor   text
);

CREATE TABLE sim.watchlist (
    entity_id   text   PRIMARY KEY,
    name        text   NOT NULL,
    entity_type text   NOT NULL,
    program     text   NOT NULL,
    country     text   NOT NULL,
    aliases     text[] NOT NULL DEFAULT '{}'
);

-- One row per card authorisation (the hold's reference id); the descriptor is what the ledger saw.
CREATE TABLE sim.card_payments (
    reference_id  text           PRIMARY KEY,
    customer_ref  text           NOT NULL,
    account_code  text           NOT NULL,
    merchant_id   text           NOT NULL REFERENCES sim.merchants (merchant_id),
    descriptor    text           NOT NULL,
    amount        numeric(28,18) NOT NULL,
    currency      text           NOT NULL,
    authorized_at timestamptz    NOT NULL,
    outcome       text           NOT NULL CHECK (outcome IN ('CAPTURE', 'VOID', 'EXPIRE', 'CHARGEBACK'))
);
CREATE INDEX card_payments_merchant ON sim.card_payments (merchant_id);

CREATE TABLE sim.labels (
    label_id      text        PRIMARY KEY,
    typology      text        NOT NULL CHECK (typology IN ('structuring', 'money_mule', 'account_takeover',
                      'card_testing', 'round_tripping', 'dormant_reactivation', 'watchlist_payment')),
    customer_ref  text        NOT NULL,
    account_codes text[]      NOT NULL,
    window_start  timestamptz NOT NULL,
    window_end    timestamptz NOT NULL,
    details       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    CHECK (window_end >= window_start)
);

-- The ledger references (journal entries, or holds for authorisations) each label covers.
CREATE TABLE sim.label_entries (
    label_id     text NOT NULL REFERENCES sim.labels (label_id),
    reference_id text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('journal', 'hold')),
    PRIMARY KEY (label_id, reference_id)
);
