-- Cases: what a person works. A transfer held for review opens one (source 'decision'), so does an alert
-- of the compliance marts (source 'alert', one open case per customer and rule: a new alert of the same
-- customer and rule adds evidence to it). A case moves OPEN -> IN_REVIEW / ESCALATED -> CLOSED with a
-- disposition; closing a held transfer's case captures (release) or voids (refuse) its hold, and a hold
-- that expires unattended reopens its case as overdue. Every change is an event (compliance.case.*.v1)
-- and an audit row naming who and when.

ALTER TABLE ledger.risk_cases DROP CONSTRAINT risk_cases_check;
ALTER TABLE ledger.risk_cases DROP CONSTRAINT risk_cases_status_check;
ALTER TABLE ledger.risk_cases
    ALTER COLUMN decision_id DROP NOT NULL,
    ALTER COLUMN hold_id DROP NOT NULL,
    ALTER COLUMN account_id DROP NOT NULL,
    ADD COLUMN source       text        NOT NULL DEFAULT 'decision' CHECK (source IN ('decision', 'alert')),
    ADD COLUMN customer_id  bigint      REFERENCES ledger.customers (customer_id),
    ADD COLUMN rule         text,
    ADD COLUMN title        text,
    ADD COLUMN assignee     text,
    ADD COLUMN disposition  text        CHECK (disposition IN ('FALSE_POSITIVE', 'CUSTOMER_CONTACTED', 'SAR_FILED')),
    ADD COLUMN hold_outcome text        CHECK (hold_outcome IN ('CAPTURED', 'VOIDED', 'EXPIRED')),
    ADD COLUMN due_at       timestamptz,
    ADD COLUMN overdue      boolean     NOT NULL DEFAULT false,
    ADD COLUMN updated_at   timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN version      integer     NOT NULL DEFAULT 1;

-- Cases opened before: their customer, rule, due date (the hold's expiry) and outcome.
UPDATE ledger.risk_cases AS c
   SET customer_id = a.customer_id,
       rule = coalesce(d.rules -> 0 ->> 'rule', 'model'),
       title = 'transfer held for review',
       due_at = h.expires_at,
       updated_at = coalesce(c.closed_at, c.opened_at),
       disposition = CASE c.status WHEN 'RELEASED' THEN 'FALSE_POSITIVE' WHEN 'REJECTED' THEN 'CUSTOMER_CONTACTED' END,
       hold_outcome = CASE c.status WHEN 'RELEASED' THEN 'CAPTURED' WHEN 'REJECTED' THEN 'VOIDED' END,
       status = CASE WHEN c.status = 'OPEN' THEN 'OPEN' ELSE 'CLOSED' END
  FROM ledger.accounts AS a, ledger.risk_decisions AS d, ledger.holds AS h
 WHERE a.account_id = c.account_id AND d.decision_id = c.decision_id AND h.hold_id = c.hold_id;

ALTER TABLE ledger.risk_cases
    ADD CONSTRAINT risk_cases_status_check CHECK (status IN ('OPEN', 'IN_REVIEW', 'ESCALATED', 'CLOSED')),
    ADD CONSTRAINT risk_cases_closed_check CHECK ((status = 'CLOSED') = (closed_at IS NOT NULL)),
    ADD CONSTRAINT risk_cases_closed_disposition_check CHECK ((status = 'CLOSED') = (disposition IS NOT NULL)),
    ADD CONSTRAINT risk_cases_decision_check CHECK ((source = 'decision') = (decision_id IS NOT NULL)),
    ADD CONSTRAINT risk_cases_rule_check CHECK (rule IS NOT NULL AND title IS NOT NULL);

DROP INDEX ledger.risk_cases_open_by_account;
CREATE INDEX risk_cases_open_by_account ON ledger.risk_cases (account_id) WHERE status <> 'CLOSED';
CREATE INDEX risk_cases_queue ON ledger.risk_cases (status, due_at);
CREATE INDEX risk_cases_by_hold ON ledger.risk_cases (hold_id) WHERE hold_id IS NOT NULL;
-- one open alert case per customer and rule: a new alert adds evidence to it
CREATE UNIQUE INDEX risk_cases_one_open_alert_case ON ledger.risk_cases (customer_id, rule)
    WHERE source = 'alert' AND status <> 'CLOSED';

-- What a case is about: alerts, the decision, holds, journals, accounts, customers.
CREATE TABLE ledger.case_links (
    case_id  bigint      NOT NULL REFERENCES ledger.risk_cases (case_id),
    kind     text        NOT NULL CHECK (kind IN ('alert', 'decision', 'hold', 'journal', 'account', 'customer')),
    ref      text        NOT NULL,
    detail   jsonb       NOT NULL DEFAULT '{}',
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (case_id, kind, ref)
);
INSERT INTO ledger.case_links (case_id, kind, ref)
SELECT case_id, 'decision', decision_id::text FROM ledger.risk_cases
UNION ALL SELECT case_id, 'hold', hold_id::text FROM ledger.risk_cases
UNION ALL SELECT case_id, 'account', a.code FROM ledger.risk_cases JOIN ledger.accounts AS a USING (account_id)
UNION ALL SELECT case_id, 'customer', customer_id::text FROM ledger.risk_cases WHERE customer_id IS NOT NULL;

CREATE TABLE ledger.case_notes (
    note_id    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id    bigint      NOT NULL REFERENCES ledger.risk_cases (case_id),
    author     text        NOT NULL,
    body       text        NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_notes_by_case ON ledger.case_notes (case_id, note_id);

-- Who did what to a case, and when. Append-only.
CREATE TABLE ledger.case_audit (
    audit_id bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id  bigint      NOT NULL REFERENCES ledger.risk_cases (case_id),
    actor    text        NOT NULL,
    action   text        NOT NULL,
    detail   jsonb       NOT NULL DEFAULT '{}',
    at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_audit_by_case ON ledger.case_audit (case_id, audit_id);
CREATE TRIGGER case_audit_append_only BEFORE UPDATE OR DELETE ON ledger.case_audit
    FOR EACH ROW EXECUTE FUNCTION ledger.reject_mutation();
CREATE TRIGGER case_audit_no_truncate BEFORE TRUNCATE ON ledger.case_audit
    FOR EACH STATEMENT EXECUTE FUNCTION ledger.reject_mutation();
INSERT INTO ledger.case_audit (case_id, actor, action, at)
SELECT case_id, 'migration', 'opened', opened_at FROM ledger.risk_cases;
