-- Payment semantics become typed columns (see ledger/payments.py): how money moved (`channel`), with whom
-- (`counterparty_*`) and where (`location`), on journal entries and holds, plus the merchant category
-- code of card authorisations. Until now they lived in free-form `metadata`, where a key spelled
-- `Channel` or a value spelled `Wire` took a movement out of every compliance rule without a word.
--
-- Existing rows are mapped from that metadata, the convention the posting API documented:
--   channel       metadata.channel (any key spelling: "Channel", "channel "), its value through the legacy
--                 spellings of ledger/payments.py (wire, ach, p2p, card, fx, crypto, fee, settlement,
--                 capital, cash_logistics, ...); branch / atm / cash become CASH_DEPOSIT or
--                 CASH_WITHDRAWAL by the direction of the customer's leg. Without one: conversions are
--                 FX or CRYPTO, captures take their hold's channel, reversals their original's, legs on
--                 two customers' accounts are P2P, a leg on a cash vault (account role `cash_vault`) is
--                 cash, and the rest INTERNAL (also for values no rule knew, which no rule saw before
--                 either; their metadata is kept as it was).
--   counterparty  metadata.counterparty_name / counterparty_account / counterparty_country
--   location      metadata.location, branch or atm_id
-- Journal entries are append-only; their trigger is disabled for this backfill only, in this
-- transaction, and nothing but the new columns is written.

ALTER TABLE ledger.journal_entries
    ADD COLUMN channel                  text,
    ADD COLUMN counterparty_name        text,
    ADD COLUMN counterparty_account     text,
    ADD COLUMN counterparty_institution text,
    ADD COLUMN counterparty_country     text,
    ADD COLUMN location                 text;

ALTER TABLE ledger.holds
    ADD COLUMN channel                  text,
    ADD COLUMN counterparty_name        text,
    ADD COLUMN counterparty_account     text,
    ADD COLUMN counterparty_institution text,
    ADD COLUMN counterparty_country     text,
    ADD COLUMN location                 text,
    ADD COLUMN mcc                      smallint;

-- The legacy spelling of a channel, normalised as ledger/payments.py normalises it.
CREATE FUNCTION pg_temp.legacy_channel(p_metadata jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE v
               WHEN 'CASH_DEPOSIT' THEN v WHEN 'CASH_WITHDRAWAL' THEN v WHEN 'CARD' THEN v WHEN 'ACH' THEN v
               WHEN 'WIRE' THEN v WHEN 'P2P' THEN v WHEN 'FX' THEN v WHEN 'CRYPTO' THEN v WHEN 'FEE' THEN v
               WHEN 'INTERNAL' THEN v
               WHEN 'BRANCH' THEN 'CASH' WHEN 'ATM' THEN 'CASH' WHEN 'CASH' THEN 'CASH' WHEN 'TELLER' THEN 'CASH'
               WHEN 'DEPOSIT' THEN 'CASH_DEPOSIT' WHEN 'WITHDRAWAL' THEN 'CASH_WITHDRAWAL'
               WHEN 'SWIFT' THEN 'WIRE'
               WHEN 'BANK_TRANSFER' THEN 'ACH' WHEN 'SEPA' THEN 'ACH' WHEN 'FASTER_PAYMENTS' THEN 'ACH'
               WHEN 'BACS' THEN 'ACH'
               WHEN 'CARD_PAYMENT' THEN 'CARD' WHEN 'POS' THEN 'CARD' WHEN 'ECOM' THEN 'CARD'
               WHEN 'CONVERSION' THEN 'FX' WHEN 'EXCHANGE' THEN 'FX'
               WHEN 'SETTLEMENT' THEN 'INTERNAL' WHEN 'CAPITAL' THEN 'INTERNAL' WHEN 'CASH_LOGISTICS' THEN 'INTERNAL'
               WHEN 'INTEREST' THEN 'INTERNAL'
               ELSE 'UNKNOWN'
           END
      FROM (SELECT upper(regexp_replace(btrim(m.value), '[[:space:]-]+', '_', 'g')) AS v
              FROM jsonb_each_text(p_metadata) AS m
             WHERE lower(regexp_replace(btrim(m.key), '[[:space:]-]+', '_', 'g')) = 'channel'
               AND m.value IS NOT NULL
             ORDER BY m.key
             LIMIT 1) AS found
$$;

CREATE FUNCTION pg_temp.metadata_text(p_metadata jsonb, p_keys text[]) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT nullif(btrim(m.value), '')
      FROM jsonb_each_text(p_metadata) AS m
     WHERE lower(regexp_replace(btrim(m.key), '[[:space:]-]+', '_', 'g')) = ANY(p_keys)
       AND m.value IS NOT NULL
     ORDER BY array_position(p_keys, lower(regexp_replace(btrim(m.key), '[[:space:]-]+', '_', 'g'))), m.key
     LIMIT 1
$$;

-- A country code, or nothing when the metadata held something else (it stays in metadata).
CREATE FUNCTION pg_temp.country(p_value text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN upper(p_value) ~ '^[A-Z]{2}$' THEN upper(p_value) END
$$;

-- Holds first: captures take their hold's channel.
UPDATE ledger.holds AS h
   SET channel = CASE
           WHEN c.legacy IS NOT NULL AND c.legacy NOT IN ('UNKNOWN', 'CASH') THEN c.legacy
           WHEN c.legacy = 'CASH' THEN 'CASH_WITHDRAWAL'
           WHEN fa.customer_id IS NOT NULL OR ta.customer_id IS NOT NULL THEN 'CARD'
           ELSE 'INTERNAL'
       END,
       counterparty_name = pg_temp.metadata_text(h.metadata, ARRAY['counterparty_name', 'counterparty']),
       counterparty_account = pg_temp.metadata_text(h.metadata, ARRAY['counterparty_account', 'counterparty_iban']),
       counterparty_country = pg_temp.country(pg_temp.metadata_text(h.metadata, ARRAY['counterparty_country'])),
       location = pg_temp.metadata_text(h.metadata, ARRAY['location', 'branch', 'branch_id', 'atm_id']),
       mcc = CASE WHEN pg_temp.metadata_text(h.metadata, ARRAY['mcc']) ~ '^[0-9]{1,4}$'
                  THEN pg_temp.metadata_text(h.metadata, ARRAY['mcc'])::smallint END
  FROM ledger.holds AS hh
  CROSS JOIN LATERAL (SELECT pg_temp.legacy_channel(hh.metadata) AS legacy) AS c
  JOIN ledger.accounts AS fa ON fa.account_id = hh.from_account_id
  JOIN ledger.accounts AS ta ON ta.account_id = hh.to_account_id
 WHERE hh.hold_id = h.hold_id;

ALTER TABLE ledger.journal_entries DISABLE TRIGGER journal_entries_append_only;

WITH customer_legs AS (
    SELECT e.journal_id,
           count(DISTINCT a.customer_id) AS customers,
           bool_and(e.direction = a.normal_side) AS all_in,
           bool_and(e.direction <> a.normal_side) AS all_out,
           bool_or(a.metadata ->> 'role' = 'cash_vault') AS has_vault,
           bool_or(c.kind = 'CRYPTO') AS has_crypto
      FROM ledger.entries AS e
      JOIN ledger.accounts AS a USING (account_id)
      JOIN ledger.currencies AS c ON c.code = e.currency
     GROUP BY e.journal_id
),
customer_flows AS (
    SELECT e.journal_id,
           count(*) FILTER (WHERE a.customer_id IS NOT NULL) AS customer_legs,
           bool_and(e.direction = a.normal_side) FILTER (WHERE a.customer_id IS NOT NULL) AS customer_in
      FROM ledger.entries AS e
      JOIN ledger.accounts AS a USING (account_id)
     GROUP BY e.journal_id
),
decided AS (
    SELECT j.journal_id,
           CASE
               WHEN c.legacy IS NOT NULL AND c.legacy NOT IN ('UNKNOWN', 'CASH') THEN c.legacy
               WHEN c.legacy = 'CASH' OR (c.legacy IS NULL AND l.has_vault AND f.customer_legs > 0) THEN
                   CASE WHEN f.customer_in THEN 'CASH_DEPOSIT' ELSE 'CASH_WITHDRAWAL' END
               WHEN c.legacy = 'UNKNOWN' THEN 'INTERNAL'
               WHEN j.kind = 'CONVERSION' THEN CASE WHEN l.has_crypto THEN 'CRYPTO' ELSE 'FX' END
               WHEN j.kind = 'CAPTURE' THEN coalesce(h.channel, 'CARD')
               WHEN j.kind = 'REVERSAL' THEN NULL  -- the original's, below
               WHEN l.customers >= 2 THEN 'P2P'
               ELSE 'INTERNAL'
           END AS channel
      FROM ledger.journal_entries AS j
      CROSS JOIN LATERAL (SELECT pg_temp.legacy_channel(j.metadata) AS legacy) AS c
      LEFT JOIN customer_legs AS l USING (journal_id)
      LEFT JOIN customer_flows AS f USING (journal_id)
      LEFT JOIN ledger.holds AS h ON h.capture_journal_id = j.journal_id
)
UPDATE ledger.journal_entries AS j
   SET channel = d.channel,
       counterparty_name = pg_temp.metadata_text(j.metadata, ARRAY['counterparty_name', 'counterparty']),
       counterparty_account = pg_temp.metadata_text(j.metadata, ARRAY['counterparty_account', 'counterparty_iban']),
       counterparty_institution = pg_temp.metadata_text(
           j.metadata, ARRAY['counterparty_institution', 'counterparty_bank', 'counterparty_bic']),
       counterparty_country = pg_temp.country(pg_temp.metadata_text(j.metadata, ARRAY['counterparty_country'])),
       location = pg_temp.metadata_text(j.metadata, ARRAY['location', 'branch', 'branch_id', 'atm_id'])
  FROM decided AS d
 WHERE d.journal_id = j.journal_id;

-- Reversals (and reversals of reversals) take the channel of the entry they reverse.
WITH RECURSIVE chain AS (
    SELECT journal_id, channel FROM ledger.journal_entries WHERE kind <> 'REVERSAL'
    UNION ALL
    SELECT r.journal_id, chain.channel
      FROM ledger.journal_entries AS r
      JOIN chain ON r.reverses_journal_id = chain.journal_id
)
UPDATE ledger.journal_entries AS j
   SET channel = coalesce(chain.channel, 'INTERNAL')
  FROM chain
 WHERE chain.journal_id = j.journal_id AND j.kind = 'REVERSAL';

ALTER TABLE ledger.journal_entries ENABLE TRIGGER journal_entries_append_only;

ALTER TABLE ledger.journal_entries
    ALTER COLUMN channel SET NOT NULL,
    ADD CONSTRAINT journal_entries_channel CHECK (channel IN (
        'CASH_DEPOSIT', 'CASH_WITHDRAWAL', 'CARD', 'ACH', 'WIRE', 'P2P', 'FX', 'CRYPTO', 'FEE', 'INTERNAL')),
    ADD CONSTRAINT journal_entries_counterparty_country CHECK (counterparty_country ~ '^[A-Z]{2}$');

ALTER TABLE ledger.holds
    ALTER COLUMN channel SET NOT NULL,
    ADD CONSTRAINT holds_channel CHECK (channel IN (
        'CASH_DEPOSIT', 'CASH_WITHDRAWAL', 'CARD', 'ACH', 'WIRE', 'P2P', 'FX', 'CRYPTO', 'FEE', 'INTERNAL')),
    ADD CONSTRAINT holds_counterparty_country CHECK (counterparty_country ~ '^[A-Z]{2}$'),
    ADD CONSTRAINT holds_mcc CHECK (mcc BETWEEN 0 AND 9999);
