{{
    config(
        materialized='incremental',
        unique_key=['account_id', 'business_date'],
        incremental_strategy='delete+insert',
        on_schema_change='fail',
        indexes=[{'columns': ['customer_id', 'business_date']}],
    )
}}
-- One row per account and business day, from the account's first entry to the ledger's last business
-- day: the day's debits and credits, the closing balance in the account's currency (normal side, as
-- ledger.balances) and its USD equivalent at the day's closing rate (int_usd_rates_daily).
--
-- Incremental: a run recomputes every day from the earliest business day of the journal entries posted
-- since the previous run (back-dated postings included), and always the last day it had built (its
-- prices may have moved on); earlier days keep their rows. `source_posted_through` is that watermark,
-- taken from the same fct_journal_lines rows the balances are summed from (a posting committed while
-- dbt runs is either in both or in neither).
{% if is_incremental() %}
with previous as (
    select max(source_posted_through) as posted_through, max(business_date) as last_day from {{ this }}
),

start_day as (
    select least(
        (select last_day from previous),
        (
            select min(l.business_date)
            from {{ ref('fct_journal_lines') }} as l
            where l.posted_at > (select posted_through from previous)
        )
    ) as first_day
),
{% else %}
with start_day as (
    select min(business_date) as first_day from {{ ref('fct_journal_lines') }}
),
{% endif %}

bounds as (
    select
        (select first_day from start_day) as first_day,
        (select max(business_date) from {{ ref('fct_journal_lines') }}) as last_day,
        (select max(posted_at) from {{ ref('fct_journal_lines') }}) as posted_through
),

lines as (
    select l.account_id, l.business_date, l.direction, l.amount, l.signed_amount
    from {{ ref('fct_journal_lines') }} as l
),

opening as (
    select account_id, sum(signed_amount) as balance
    from lines
    where business_date < (select first_day from bounds)
    group by account_id
),

movements as (
    select
        account_id,
        business_date,
        coalesce(sum(amount) filter (where direction = 'DEBIT'), 0) as debits,
        coalesce(sum(amount) filter (where direction = 'CREDIT'), 0) as credits,
        sum(signed_amount) as net
    from lines
    where business_date >= (select first_day from bounds)
    group by account_id, business_date
),

first_days as (
    select account_id, min(business_date) as first_day
    from lines
    group by account_id
),

spine as (
    select f.account_id, day::date as business_date
    from first_days as f
    cross join bounds as b
    cross join lateral generate_series(greatest(f.first_day, b.first_day), b.last_day, interval '1 day') as day
),

daily as (
    select
        s.account_id,
        s.business_date,
        coalesce(m.debits, 0) as debits,
        coalesce(m.credits, 0) as credits,
        coalesce(o.balance, 0)
            + sum(coalesce(m.net, 0)) over (partition by s.account_id order by s.business_date) as closing_balance
    from spine as s
    left join movements as m using (account_id, business_date)
    left join opening as o using (account_id)
)

select
    d.account_id,
    a.account_code,
    a.account_type,
    a.account_role,
    a.customer_id,
    a.is_customer_account,
    a.currency,
    d.business_date,
    d.debits::numeric(38, 18) as debits,
    d.credits::numeric(38, 18) as credits,
    d.closing_balance::numeric(38, 18) as closing_balance,
    r.usd_rate,
    -- exact product of two exact numbers (no rounding); null when the currency had no price yet
    (d.closing_balance * r.usd_rate)::numeric as closing_balance_usd,
    (select posted_through from bounds) as source_posted_through
from daily as d
join {{ ref('stg_ledger__accounts') }} as a using (account_id)
left join {{ ref('int_usd_rates_daily') }} as r
    on r.currency = a.currency and r.business_date = d.business_date
