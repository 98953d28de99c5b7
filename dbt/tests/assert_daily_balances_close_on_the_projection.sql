-- The last day's closing balance of every account equals the balance projection (ledger.balances),
-- for accounts whose projection has not moved since the rows were computed (writers keep posting while
-- dbt runs; the projection of an account they touched is newer than the daily balances).
-- (a check on fct_daily_balances in Dagster, though it reads the projection too)
{{ config(meta={'dagster': {'ref': {'name': 'fct_daily_balances'}}}) }}
select d.account_id, d.closing_balance, b.posted_balance
from {{ ref('fct_daily_balances') }} as d
join {{ ref('stg_ledger__balances') }} as b using (account_id)
where d.business_date = (select max(business_date) from {{ ref('fct_daily_balances') }})
    and b.updated_at <= d.source_posted_through
    and d.closing_balance <> b.posted_balance
