select
    journal_id,
    reference_id,
    kind as journal_kind,
    description,
    reverses_journal_id,
    correlation_id,
    -- how the money moved, with whom and where (typed and validated by the ledger: ledger/payments.py)
    channel,
    counterparty_name,
    counterparty_account,
    counterparty_institution,
    counterparty_country,
    location,
    effective_at,
    (effective_at at time zone 'UTC')::date as business_date,
    posted_at
from {{ source('ledger', 'journal_entries') }}
