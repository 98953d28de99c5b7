select
    entry_id,
    journal_id,
    leg_no,
    account_id,
    direction,
    amount,
    currency,
    effective_at,
    (effective_at at time zone 'UTC')::date as business_date
from {{ source('ledger', 'entries') }}
