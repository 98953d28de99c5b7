-- A re-identification (ledger.pii.reidentify: a lake pseudonym back to its value) is a read of personal
-- data like any other: its audit row names the pseudonyms asked for besides the customers they named.
ALTER TABLE ledger.pii_access ADD COLUMN pseudonyms text[] NOT NULL DEFAULT '{}';
