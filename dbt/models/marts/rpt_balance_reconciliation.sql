-- Accounts whose projected posted balance (ledger.balances) differs from the balance recomputed from
-- every entry. Empty when the ledger is consistent (tests/assert_reconciliation_is_empty.sql).
with recomputed as (
    select account_id, sum(signed_amount) as recomputed_balance
    from {{ ref('fct_journal_lines') }}
    group by account_id
)

select
    b.account_id,
    a.account_code,
    b.currency,
    b.posted_balance::numeric(38, 18) as projected_balance,
    coalesce(r.recomputed_balance, 0)::numeric(38, 18) as recomputed_balance,
    (b.posted_balance - coalesce(r.recomputed_balance, 0))::numeric(38, 18) as difference
from {{ ref('stg_ledger__balances') }} as b
join {{ ref('stg_ledger__accounts') }} as a using (account_id)
left join recomputed as r using (account_id)
where b.posted_balance <> coalesce(r.recomputed_balance, 0)
