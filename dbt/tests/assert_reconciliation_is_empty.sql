-- The balance projection equals the recomputation from entries for every account.
select * from {{ ref('rpt_balance_reconciliation') }}
