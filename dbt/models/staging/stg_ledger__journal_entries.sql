select
    journal_id,
    reference_id,
    kind as journal_kind,
    description,
    reverses_journal_id,
    correlation_id,
    effective_at,
    (effective_at at time zone 'UTC')::date as business_date,
    posted_at
from {{ source('ledger', 'journal_entries') }}
