-- Card authorisations (holds with channel CARD) on customer accounts, with their USD equivalent.
select
    h.hold_id,
    h.reference_id,
    h.from_account_id as account_id,
    a.account_code,
    a.customer_id,
    h.currency,
    h.amount,
    h.amount * r.usd_rate as amount_usd,
    h.hold_status,
    h.mcc,
    h.descriptor,
    h.authorized_at,
    h.business_date
from {{ ref('stg_ledger__holds') }} as h
join {{ ref('stg_ledger__accounts') }} as a on a.account_id = h.from_account_id
left join {{ ref('int_usd_rates_daily') }} as r
    on r.currency = h.currency and r.business_date = h.business_date
where h.channel = 'CARD' and a.is_customer_account
