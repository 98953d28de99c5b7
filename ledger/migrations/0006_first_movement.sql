-- The balance projection also keeps each account's first movement: the earliest effective time of its
-- entries (a backdated entry moves it earlier). Posting maintains it in the same statement as the
-- balances; readers that need "the first movement before t" (the online transfer features) get it from
-- one row instead of probing every monthly partition of ledger.entries.

ALTER TABLE ledger.balances ADD COLUMN first_movement_at timestamptz;

UPDATE ledger.balances AS b
   SET first_movement_at = f.first_at
  FROM (SELECT account_id, min(effective_at) AS first_at FROM ledger.entries GROUP BY account_id) AS f
 WHERE f.account_id = b.account_id;
