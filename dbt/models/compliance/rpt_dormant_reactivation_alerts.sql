-- Dormant-account reactivation: an account with no customer-initiated activity (transfers, conversions
-- or card authorisations; fees and settlements do not count) for at least `dormant_days` comes back, and
-- within `dormant_window_hours` of its first new movement receives at least `dormant_min_inbound_usd`
-- (wires, ACH, P2P) of which at least `dormant_outbound_share` leaves again.
with activity as (
    select account_id, effective_at as active_at
    from {{ ref('int_customer_movements') }}
    where is_customer_initiated
    union all
    select account_id, authorized_at
    from {{ ref('int_card_authorisations') }}
),

gaps as (
    select
        account_id,
        active_at as reactivated_at,
        lag(active_at) over (partition by account_id order by active_at) as previous_at
    from activity
),

reactivations as (
    select distinct g.account_id, g.reactivated_at, g.previous_at
    from gaps as g
    where g.reactivated_at - g.previous_at >= interval '{{ var("dormant_days") }} days'
),

windowed as (
    select
        r.account_id,
        r.reactivated_at,
        r.previous_at,
        t.account_code,
        t.customer_id,
        sum(t.amount_usd) filter (where t.flow = 'IN') as inbound_usd,
        coalesce(sum(t.amount_usd) filter (where t.flow = 'OUT'), 0) as outbound_usd,
        max(t.effective_at) as last_at,
        array_agg(t.journal_id order by t.effective_at, t.journal_id) as journal_ids,
        array_agg(t.reference_id order by t.effective_at, t.journal_id) as reference_ids
    from reactivations as r
    join {{ ref('int_customer_transfers') }} as t
        on t.account_id = r.account_id
        and t.effective_at >= r.reactivated_at
        and t.effective_at < r.reactivated_at + interval '{{ var("dormant_window_hours") }} hours'
    group by r.account_id, r.reactivated_at, r.previous_at, t.account_code, t.customer_id
)

select
    'DORMANT_REACTIVATION'::text as rule,
    md5('DORMANT_REACTIVATION:' || w.account_id || ':' || w.reactivated_at) as alert_id,
    (w.last_at at time zone 'UTC')::date as alert_date,
    w.customer_id,
    c.customer_ref,
    w.reactivated_at as first_at,
    w.last_at,
    (w.inbound_usd + w.outbound_usd)::numeric as total_amount_usd,
    array[w.account_code] as account_codes,
    w.journal_ids,
    w.reference_ids,
    jsonb_build_object(
        'dormant_days', extract(day from w.reactivated_at - w.previous_at)::integer,
        'last_activity_before', w.previous_at,
        'inbound_usd', trim_scale(w.inbound_usd::numeric)::text,
        'outbound_usd', trim_scale(w.outbound_usd::numeric)::text
    ) as details
from windowed as w
join {{ ref('stg_ledger__customers') }} as c using (customer_id)
where w.inbound_usd >= {{ var('dormant_min_inbound_usd') }}
    and w.outbound_usd >= {{ var('dormant_outbound_share') }} * w.inbound_usd
