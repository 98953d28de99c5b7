-- The USD value of one unit of each currency on each business day: the day's closing price (the last
-- tick of the UTC day) of `<currency>/USD`, carried forward over days without ticks. USD is 1 every day.
-- Days before a currency's first tick have no rate (its USD equivalents are null, never guessed).
with closes as (
    select distinct on (base_currency, business_date)
        base_currency as currency,
        business_date,
        price
    from {{ ref('stg_ledger__ticks') }}
    where quote_currency = 'USD'
    order by base_currency, business_date, priced_at desc
),

bounds as (
    select
        least(
            (select min(business_date) from closes),
            (select min(business_date) from {{ ref('stg_ledger__entries') }})
        ) as first_day,
        greatest(
            (select max(business_date) from closes),
            (select max(business_date) from {{ ref('stg_ledger__entries') }})
        ) as last_day
),

spine as (
    select day::date as business_date
    from bounds, generate_series(bounds.first_day, bounds.last_day, interval '1 day') as day
),

priced as (
    select distinct currency from closes
)

select
    p.currency,
    s.business_date,
    (
        select c.price
        from closes as c
        where c.currency = p.currency and c.business_date <= s.business_date
        order by c.business_date desc
        limit 1
    ) as usd_rate
from priced as p
cross join spine as s

union all

select 'USD', business_date, 1::numeric
from spine
