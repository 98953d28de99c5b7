-- Card authorisations on customer accounts, with their USD equivalent: holds with channel CARD (status
-- PENDING, CAPTURED, VOIDED or EXPIRED) and card payments posted straight to the ledger without a hold
-- (an authorisation captured at once: status CAPTURED). The merchant is the descriptor the authorisation
-- carried, else the counterparty it named.
with holds as (
    select
        'H' || h.hold_id as authorisation_id,
        h.hold_id,
        h.capture_journal_id as journal_id,
        h.reference_id,
        h.from_account_id as account_id,
        h.currency,
        h.amount,
        h.hold_status,
        h.mcc,
        coalesce(h.descriptor, h.counterparty_name) as descriptor,
        h.authorized_at,
        h.business_date
    from {{ ref('stg_ledger__holds') }} as h
    where h.channel = 'CARD'
),

posted as (
    select
        'J' || l.journal_id as authorisation_id,
        null::bigint as hold_id,
        l.journal_id,
        l.reference_id,
        l.account_id,
        l.currency,
        l.amount,
        'CAPTURED' as hold_status,
        null::integer as mcc,
        coalesce(j.description, j.counterparty_name) as descriptor,
        l.effective_at as authorized_at,
        l.business_date
    from {{ ref('fct_journal_lines') }} as l
    join {{ ref('stg_ledger__journal_entries') }} as j using (journal_id)
    where l.channel = 'CARD'
        and l.journal_kind = 'TRANSFER'
        and l.is_customer_account
        and l.signed_amount < 0
        and not exists (
            select 1 from {{ ref('stg_ledger__holds') }} as h where h.capture_journal_id = l.journal_id
        )
),

authorisations as (
    select * from holds
    union all
    select * from posted
)

select
    x.authorisation_id,
    x.hold_id,
    -- the journal that posted the payment (none while a hold is pending, voided or expired)
    x.journal_id,
    x.reference_id,
    x.account_id,
    a.account_code,
    a.customer_id,
    x.currency,
    x.amount,
    x.amount * r.usd_rate as amount_usd,
    x.hold_status,
    x.mcc,
    x.descriptor,
    x.authorized_at,
    x.business_date
from authorisations as x
join {{ ref('stg_ledger__accounts') }} as a on a.account_id = x.account_id
left join {{ ref('int_usd_rates_daily') }} as r
    on r.currency = x.currency and r.business_date = x.business_date
where a.is_customer_account
