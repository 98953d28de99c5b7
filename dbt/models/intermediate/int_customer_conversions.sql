-- Currency conversions of customers (FX and crypto), one row per conversion: from which currency and
-- account, into which, and the USD value of what was converted (the source side, without the fee).
-- Indexed by customer and time: the FX rules follow a customer's chain of conversions one step at a time.
{{ config(indexes=[{'columns': ['customer_id', 'effective_at']}]) }}
with lines as (
    select *
    from {{ ref('int_customer_movements') }}
    where journal_kind = 'CONVERSION'
),

sides as (
    select
        journal_id,
        min(reference_id) as reference_id,
        min(customer_id) as customer_id,
        min(channel) as channel,
        min(effective_at) as effective_at,
        (array_agg(currency order by amount desc) filter (where flow = 'OUT'))[1] as from_currency,
        (array_agg(account_code order by amount desc) filter (where flow = 'OUT'))[1] as from_account,
        (array_agg(amount_usd order by amount desc) filter (where flow = 'OUT'))[1] as amount_usd,
        (array_agg(currency) filter (where flow = 'IN'))[1] as to_currency,
        (array_agg(account_code) filter (where flow = 'IN'))[1] as to_account,
        (array_agg(amount_usd) filter (where flow = 'IN'))[1] as received_usd
    from lines
    group by journal_id
)

select * from sides where from_currency is not null and to_currency is not null
