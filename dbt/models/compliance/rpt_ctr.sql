-- Currency Transaction Reports (FinCEN, 31 CFR 1010.311 and .313): for each customer and business day,
-- cash deposits and cash withdrawals are each aggregated across the customer's accounts and currencies;
-- a total strictly above `ctr_threshold_usd` (USD equivalent at the day's closing rate) is reportable.
with cash as (
    select
        m.business_date,
        m.customer_id,
        case m.flow when 'IN' then 'CASH_IN' else 'CASH_OUT' end as cash_direction,
        m.account_code,
        m.journal_id,
        m.reference_id,
        m.currency,
        m.amount,
        m.amount_usd
    from {{ ref('int_customer_movements') }} as m
    where m.is_cash and m.journal_kind = 'TRANSFER'
),

per_currency as (
    select business_date, customer_id, cash_direction, currency, sum(amount) as amount
    from cash
    group by business_date, customer_id, cash_direction, currency
),

per_day as (
    select
        business_date,
        customer_id,
        cash_direction,
        count(*)::bigint as transaction_count,
        sum(amount_usd) as total_amount_usd,
        array_agg(distinct account_code order by account_code) as account_codes,
        array_agg(journal_id order by journal_id) as journal_ids,
        array_agg(reference_id order by journal_id) as reference_ids
    from cash
    group by business_date, customer_id, cash_direction
    having sum(amount_usd) > {{ var('ctr_threshold_usd') }}
)

select
    'CTR'::text as rule,
    md5('CTR:' || d.customer_id || ':' || d.business_date || ':' || d.cash_direction) as report_id,
    d.business_date,
    d.customer_id,
    c.customer_ref,
    d.cash_direction,
    d.transaction_count,
    d.total_amount_usd::numeric as total_amount_usd,
    (
        select jsonb_object_agg(p.currency, trim_scale(p.amount)::text order by p.currency)
        from per_currency as p
        where p.business_date = d.business_date and p.customer_id = d.customer_id
            and p.cash_direction = d.cash_direction
    ) as amounts_by_currency,
    d.account_codes,
    d.journal_ids,
    d.reference_ids,
    {{ var('ctr_threshold_usd') }}::numeric as threshold_usd
from per_day as d
join {{ ref('stg_ledger__customers') }} as c using (customer_id)
