-- Per currency and business day: total debits and credits of the day's journal lines. Double entry
-- means they are equal every day (tests/assert_trial_balance_balances.sql).
select
    business_date,
    currency,
    sum(amount) filter (where direction = 'DEBIT')::numeric(38, 18) as total_debits,
    sum(amount) filter (where direction = 'CREDIT')::numeric(38, 18) as total_credits,
    count(*)::bigint as lines
from {{ ref('fct_journal_lines') }}
group by business_date, currency
