-- The API namespaces a caller's Idempotency-Key by its tenant ("<tenant>:<key>", tenant ids of up to 40
-- characters, keys of up to 200), so that one tenant can neither read nor block another's answers.
ALTER TABLE ledger.risk_decisions DROP CONSTRAINT risk_decisions_idempotency_key_check;
ALTER TABLE ledger.risk_decisions ADD CONSTRAINT risk_decisions_idempotency_key_check
    CHECK (length(idempotency_key) BETWEEN 1 AND 241);
