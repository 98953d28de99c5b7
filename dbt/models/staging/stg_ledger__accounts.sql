select
    account_id,
    code as account_code,
    name as account_name,
    type as account_type,
    normal_side,
    currency,
    allow_negative,
    is_closed,
    customer_id,
    opened_at,
    closed_at
from {{ source('ledger', 'accounts') }}
