-- The fast brain's hard rules (watch list, limits per segment, draining to a new payee, bursts, an open
-- case on the account) decide beside the model: each decision keeps the rules that fired, with their
-- readable reasons, next to the model's. Decisions written before rules existed fired none.
ALTER TABLE ledger.risk_decisions ADD COLUMN rules jsonb NOT NULL DEFAULT '[]';

-- "Is this account under an open case?" is asked before every transfer: cases carry their account, and
-- the open ones are indexed by it.
ALTER TABLE ledger.risk_cases ADD COLUMN account_id bigint REFERENCES ledger.accounts (account_id);
UPDATE ledger.risk_cases AS c SET account_id = d.account_id
  FROM ledger.risk_decisions AS d WHERE d.decision_id = c.decision_id;
ALTER TABLE ledger.risk_cases ALTER COLUMN account_id SET NOT NULL;
CREATE INDEX risk_cases_open_by_account ON ledger.risk_cases (account_id) WHERE status = 'OPEN';
