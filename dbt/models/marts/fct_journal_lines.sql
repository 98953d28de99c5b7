-- One row per journal line (entry), with its journal and account. `signed_amount` is the effect on
-- the account in its normal side (positive grows the balance), the convention of ledger.balances.
select
    e.entry_id,
    e.journal_id,
    j.reference_id,
    j.journal_kind,
    j.reverses_journal_id,
    j.channel,
    e.leg_no,
    e.account_id,
    a.account_code,
    a.account_type,
    a.account_role,
    a.customer_id,
    a.is_customer_account,
    e.direction,
    e.amount,
    case when e.direction = a.normal_side then e.amount else -e.amount end as signed_amount,
    e.currency,
    e.effective_at,
    e.business_date,
    j.posted_at
from {{ ref('stg_ledger__entries') }} as e
join {{ ref('stg_ledger__journal_entries') }} as j using (journal_id)
join {{ ref('stg_ledger__accounts') }} as a using (account_id)
