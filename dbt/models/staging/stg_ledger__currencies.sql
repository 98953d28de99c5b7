select
    code as currency,
    name as currency_name,
    kind as currency_kind,
    minor_units
from {{ source('ledger', 'currencies') }}
