select
    account_id,
    currency,
    normal_side,
    posted as posted_balance,
    held as held_amount,
    available as available_balance,
    version as balance_version,
    updated_at
from {{ source('ledger', 'balances') }}
