-- The commit-time balance check, set-based.
--
-- The constraint trigger still fires once per leg at commit (PostgreSQL has no deferred statement-level
-- trigger), but the first firing checks, in one query, every journal with a leg in the entry-id range
-- from its own leg up to the last id this session drew from the entries sequence. At commit all of the
-- transaction's legs exist and ids grow in insertion order, the order firings come in, so that range
-- holds every leg still waiting for its firing. The range is remembered with the start of the statement
-- that checked it (the COMMIT, or the statement whose end ran an immediate check); a later firing of the
-- same statement inside the range returns at once. Legs inserted after an immediate check belong to a
-- later statement and are checked again.
--
-- A journal whose legs in the range are all this transaction's own rows balances iff those legs net to
-- zero per currency, because every committed journal passed this check; the other journals (another
-- writer's legs interleaved in the sequence, or a savepoint's rows) are checked on all their legs.
--
-- Replaces the per-journal check of 0001 (one query per journal: ~75 ms at the commit of a
-- 5,000-transfer batch, now ~25 ms) and the legs' foreign key to (account_id, currency) (~37 ms per batch
-- on insert). Same rules and SQLSTATEs: the journal row exists at the same effective time, debits equal
-- credits per currency, at least two legs (FL001); each leg's account exists in the leg's currency
-- (23503, foreign_key_violation, as the key raised).
-- Not covered: within one DO block or function (one statement), a leg given an explicit entry_id
-- (OVERRIDING SYSTEM VALUE) inside the range of a check already run there by SET CONSTRAINTS ... IMMEDIATE.

CREATE OR REPLACE FUNCTION ledger.install_balance_check(p_relation text) RETURNS void
LANGUAGE plpgsql AS $install$
DECLARE
    fn       text := 'check_balanced_' || p_relation;
    sequence text := pg_get_serial_sequence('ledger.entries', 'entry_id');
BEGIN
    EXECUTE format($body$
        CREATE OR REPLACE FUNCTION ledger.%1$I() RETURNS trigger
        LANGUAGE plpgsql AS $fn$
        DECLARE
            -- '[lo,hi]@statement start' of the last check in this transaction, for this relation
            state text := current_setting('ledger.balanced_%2$s', true);
            lo    bigint;
            hi    bigint;
            bad   record;
        BEGIN
            IF state <> '' AND NEW.entry_id <@ split_part(state, '@', 1)::int8range
               AND split_part(state, '@', 2)::timestamptz = statement_timestamp() THEN
                RETURN NULL;
            END IF;
            lo := NEW.entry_id;
            BEGIN
                hi := greatest(lo, currval(%3$L));
            EXCEPTION WHEN object_not_in_prerequisite_state THEN
                hi := lo;  -- this session drew no id: its legs carry explicit ids; check this one alone
            END;

            -- Each leg names an account in the leg's currency (this replaces a foreign key that cost a
            -- lookup per leg on insert, a third of the time of inserting legs): one probe of the accounts'
            -- key per distinct account in the range.
            -- (MATERIALIZED: read the range by the primary key; left to itself, the generic plan walked the
            -- whole (account_id, effective_at) index to get the accounts in order.)
            WITH range_legs AS MATERIALIZED (
                SELECT account_id, currency FROM ledger.%2$I WHERE entry_id BETWEEN lo AND hi
            )
            SELECT l.account_id, l.currency INTO bad
              FROM (SELECT DISTINCT account_id, currency FROM range_legs) AS l
             WHERE NOT coalesce((SELECT a.currency = l.currency FROM ledger.accounts a
                                  WHERE a.account_id = l.account_id), false)
             LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION 'a leg names account %% in %%, and no account has that id and currency',
                    bad.account_id, bad.currency USING ERRCODE = 'foreign_key_violation';
            END IF;

            -- Per journal and currency, the legs in the range; `foreign` when some of them are not this
            -- transaction's own rows (another writer's, interleaved in the sequence, or a savepoint's).
            -- Committed journals balance (every commit ran this check), so a journal whose legs in the
            -- range are all this transaction's balances iff those legs net to zero per currency (two at
            -- least, amounts being positive). The others are checked on all their legs. The journal row
            -- is probed on its key, never joined (a join could scan ledger.journal_entries).
            SELECT * INTO bad
              FROM (SELECT j.*, NOT coalesce((SELECT h.effective_at = j.effective_at FROM ledger.journal_entries h
                                               WHERE h.journal_id = j.journal_id), false) AS missing
                      FROM (SELECT r.journal_id, r.effective_at, r.currency, r.legs, r.debits, r.credits
                              FROM (SELECT journal_id, effective_at, currency, count(*) AS legs,
                                           coalesce(sum(amount) FILTER (WHERE direction = 'DEBIT'), 0) AS debits,
                                           coalesce(sum(amount) FILTER (WHERE direction = 'CREDIT'), 0) AS credits,
                                           bool_or(xmin <> pg_current_xact_id()::xid) AS foreign
                                      FROM ledger.%2$I WHERE entry_id BETWEEN lo AND hi
                                     GROUP BY journal_id, effective_at, currency) AS r
                             WHERE NOT r.foreign
                            UNION ALL
                            SELECT f.journal_id, f.effective_at, l.currency,
                                   sum(l.legs) OVER (PARTITION BY f.journal_id, f.effective_at), l.debits, l.credits
                              FROM (SELECT DISTINCT journal_id, effective_at FROM ledger.%2$I
                                     WHERE entry_id BETWEEN lo AND hi AND xmin <> pg_current_xact_id()::xid) AS f
                             CROSS JOIN LATERAL (
                                   SELECT e.currency, count(*) AS legs,
                                          coalesce(sum(e.amount) FILTER (WHERE e.direction = 'DEBIT'), 0) AS debits,
                                          coalesce(sum(e.amount) FILTER (WHERE e.direction = 'CREDIT'), 0) AS credits
                                     FROM ledger.%2$I e
                                    WHERE e.journal_id = f.journal_id AND e.effective_at = f.effective_at
                                    GROUP BY e.currency) AS l) AS j
                     OFFSET 0) AS checked
             WHERE checked.missing OR checked.legs < 2 OR checked.debits <> checked.credits
             ORDER BY checked.journal_id
             LIMIT 1;
            IF FOUND THEN
                IF bad.missing THEN
                    RAISE EXCEPTION 'a leg names journal %% at %%, which does not exist', bad.journal_id, bad.effective_at
                        USING ERRCODE = 'FL001';
                ELSIF bad.debits <> bad.credits THEN
                    RAISE EXCEPTION 'journal entry %% does not balance in %%: debits %% <> credits %%',
                        bad.journal_id, bad.currency, bad.debits, bad.credits USING ERRCODE = 'FL001';
                END IF;
                RAISE EXCEPTION 'journal entry %% has %% leg(s); at least two are required', bad.journal_id, bad.legs
                    USING ERRCODE = 'FL001';
            END IF;

            PERFORM set_config('ledger.balanced_%2$s', int8range(lo, hi, '[]')::text || '@' || statement_timestamp()::text,
                               true);
            RETURN NULL;
        END;
        $fn$
    $body$, fn, p_relation, sequence);
    IF NOT EXISTS (SELECT 1 FROM pg_trigger
                    WHERE tgrelid = format('ledger.%I', p_relation)::regclass AND tgname = p_relation || '_balanced') THEN
        EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT ON ledger.%I DEFERRABLE INITIALLY DEFERRED '
                       'FOR EACH ROW EXECUTE FUNCTION ledger.%I()', p_relation || '_balanced', p_relation, fn);
    END IF;
END;
$install$;

-- The check above is now what ties a leg to its account and currency. An account's id and currency never
-- change (legs are stamped with them); deleting accounts is already refused (0001).
ALTER TABLE ledger.entries DROP CONSTRAINT IF EXISTS entries_account_id_currency_fkey;

CREATE FUNCTION ledger.reject_account_rekey() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger.accounts: the id and currency of account % cannot change', OLD.code
        USING ERRCODE = 'FL002';
END;
$$;
CREATE TRIGGER accounts_fixed_key BEFORE UPDATE OF account_id, currency ON ledger.accounts
    FOR EACH ROW WHEN (OLD.account_id IS DISTINCT FROM NEW.account_id OR OLD.currency IS DISTINCT FROM NEW.currency)
    EXECUTE FUNCTION ledger.reject_account_rekey();

-- Reinstall on what exists: every monthly partition, or the hypertable under TimescaleDB.
DO $$
DECLARE
    part text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'ledger.entries'::regclass) THEN
        FOR part IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                     WHERE i.inhparent = 'ledger.entries'::regclass LOOP
            PERFORM ledger.install_balance_check(part);
        END LOOP;
    ELSE
        PERFORM ledger.install_balance_check('entries');
    END IF;
END;
$$;
