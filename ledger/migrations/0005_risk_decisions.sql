-- Risk decisions: every transfer scored before it moves money leaves its decision in the ledger, in the
-- same transaction as what it decided: the journal entry (approve), the hold and a case (review), or on
-- its own (block: nothing moves). Append-only, like the journal; cases change status as they are worked.

CREATE TABLE ledger.risk_decisions (
    decision_id     bigint           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    idempotency_key text             NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    request_sha256  bytea            NOT NULL,
    account_id      bigint           NOT NULL REFERENCES ledger.accounts (account_id),
    counterparty    text,
    channel         text             NOT NULL,
    amount          numeric(28,18)   NOT NULL CHECK (amount > 0),
    currency        text             NOT NULL,
    decision        text             NOT NULL CHECK (decision IN ('approve', 'review', 'block')),
    score           double precision NOT NULL CHECK (score >= 0 AND score <= 1),
    model_name      text             NOT NULL,
    model_version   integer          NOT NULL,
    reasons         jsonb            NOT NULL,
    features        jsonb            NOT NULL,
    journal_id      bigint           REFERENCES ledger.journal_entries (journal_id),
    hold_id         bigint           REFERENCES ledger.holds (hold_id),
    correlation_id  text,
    requested_by    text,
    response_status smallint         NOT NULL,
    response        jsonb            NOT NULL,
    decided_at      timestamptz      NOT NULL DEFAULT now(),
    CHECK ((decision = 'approve') = (journal_id IS NOT NULL)),
    CHECK ((decision = 'review') = (hold_id IS NOT NULL))
);
CREATE INDEX risk_decisions_account ON ledger.risk_decisions (account_id, decided_at);

CREATE TRIGGER risk_decisions_append_only BEFORE UPDATE OR DELETE ON ledger.risk_decisions
    FOR EACH ROW EXECUTE FUNCTION ledger.reject_mutation();
CREATE TRIGGER risk_decisions_no_truncate BEFORE TRUNCATE ON ledger.risk_decisions
    FOR EACH STATEMENT EXECUTE FUNCTION ledger.reject_mutation();

-- A review decision opens a case for an analyst; the held funds wait for its outcome.
CREATE TABLE ledger.risk_cases (
    case_id     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    decision_id bigint      NOT NULL UNIQUE REFERENCES ledger.risk_decisions (decision_id),
    hold_id     bigint      NOT NULL REFERENCES ledger.holds (hold_id),
    status      text        NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'RELEASED', 'REJECTED')),
    opened_at   timestamptz NOT NULL DEFAULT now(),
    closed_at   timestamptz,
    CHECK ((status = 'OPEN') = (closed_at IS NULL))
);
