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
    -- the platform's own accounts carry their role (safeguarding, cash_vault, fee_revenue, ...)
    metadata ->> 'role' as account_role,
    customer_id is not null as is_customer_account,
    opened_at,
    closed_at
from {{ source('ledger', 'accounts') }}
