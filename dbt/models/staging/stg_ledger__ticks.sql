select
    symbol,
    split_part(symbol, '/', 1) as base_currency,
    split_part(symbol, '/', 2) as quote_currency,
    ts as priced_at,
    (ts at time zone 'UTC')::date as business_date,
    price
from {{ source('ledger', 'ticks') }}
