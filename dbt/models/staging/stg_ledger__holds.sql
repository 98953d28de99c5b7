select
    hold_id,
    reference_id,
    from_account_id,
    to_account_id,
    currency,
    amount,
    status as hold_status,
    captured_amount,
    capture_journal_id,
    description as descriptor,
    metadata ->> 'channel' as channel,
    (metadata ->> 'mcc')::integer as mcc,
    effective_at as authorized_at,
    (effective_at at time zone 'UTC')::date as business_date,
    expires_at,
    resolved_at
from {{ source('ledger', 'holds') }}
