-- The balance projection also keeps each account's last movement: the latest effective time of its
-- entries. A debit effective before it is back-dated: on an account that may not go negative, the ledger
-- then checks the balance at every later time, not only now (ledger.write.WriteBatch), and this column
-- tells it when that is needed without probing ledger.entries on every posting.

ALTER TABLE ledger.balances ADD COLUMN last_movement_at timestamptz;

UPDATE ledger.balances AS b
   SET last_movement_at = f.last_at
  FROM (SELECT account_id, max(effective_at) AS last_at FROM ledger.entries GROUP BY account_id) AS f
 WHERE f.account_id = b.account_id;
