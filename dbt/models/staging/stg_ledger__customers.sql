select
    customer_id,
    external_ref as customer_ref,
    country,
    occupation,
    segment,
    risk_rating,
    kyc_status,
    onboarded_at
from {{ source('ledger', 'customers') }}
