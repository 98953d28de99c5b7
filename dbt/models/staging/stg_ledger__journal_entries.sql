select
    journal_id,
    reference_id,
    kind as journal_kind,
    description,
    reverses_journal_id,
    correlation_id,
    -- what the posting API was told about the movement (absent keys are null)
    metadata ->> 'channel' as channel,
    metadata ->> 'counterparty_name' as counterparty_name,
    metadata ->> 'counterparty_account' as counterparty_account,
    effective_at,
    (effective_at at time zone 'UTC')::date as business_date,
    posted_at
from {{ source('ledger', 'journal_entries') }}
