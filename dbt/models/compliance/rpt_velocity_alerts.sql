-- OUTBOUND_TRANSFER_VELOCITY (account takeover): a burst of outbound wires, ACH and P2P transfers on one
-- customer, each within `velocity_max_gap_minutes` of the previous, at least `velocity_min_total_usd` in
-- all, and either at least `velocity_min_transfers` of them or at least `velocity_min_night_transfers`
-- between `velocity_night_start_hour` and `velocity_night_end_hour` (UTC); and the burst looks like
-- someone else draining the account: at least `velocity_min_new_payees` parties the customer had never
-- paid, taking at least `velocity_min_balance_share` of what the accounts it left held (their balance at
-- the previous day's close plus what they received that day before the burst). A burst of ACH payments
-- only (bills, standing orders, a payroll run) is not judged here: a takeover moves money on rails that
-- are instant and final (wire, P2P).
with outbound as (
    select
        *,
        party_first_at = effective_at as is_new_party,
        extract(hour from effective_at at time zone 'UTC') >= {{ var('velocity_night_start_hour') }}
            and extract(hour from effective_at at time zone 'UTC') < {{ var('velocity_night_end_hour') }}
            as is_night
    from {{ ref('int_customer_flows') }}
    where flow = 'OUT' and channel in ('WIRE', 'ACH', 'P2P')
),

bursts as (
    select
        *,
        sum(starts_burst) over (partition by customer_id order by effective_at, journal_id) as burst
    from (
        select
            *,
            case
                when lag(effective_at) over (partition by customer_id order by effective_at, journal_id)
                    >= effective_at - interval '{{ var("velocity_max_gap_minutes") }} minutes'
                then 0 else 1
            end as starts_burst
        from outbound
    ) as marked
),

grouped as (
    select
        customer_id,
        min(segment) as segment,
        min(journal_id) as first_journal_id,
        min(effective_at) as first_at,
        max(effective_at) as last_at,
        count(*) as transfers,
        count(*) filter (where is_night) as night_transfers,
        count(distinct party_key) filter (where is_new_party) as new_payees,
        sum(amount_usd) as total_amount_usd,
        array_agg(distinct channel) as channels,
        array_agg(distinct account_code order by account_code) as account_codes,
        array_agg(journal_id order by effective_at, journal_id) as journal_ids,
        array_agg(reference_id order by effective_at, journal_id) as reference_ids,
        array_agg(distinct party_label) as payees
    from bursts
    group by customer_id, burst
    having (
            count(*) >= {{ var('velocity_min_transfers') }}
            or count(*) filter (where is_night) >= {{ var('velocity_min_night_transfers') }}
        )
        and sum(amount_usd) >= {{ var('velocity_min_total_usd') }}
),

judged as (
    select
        g.*,
        {{ accounts_balance_usd('g.customer_id', 'g.account_codes', business_day('g.first_at') ~ ' - 1') }}
            + coalesce((
                select sum(i.amount_usd)
                from {{ ref('int_customer_flows') }} as i
                where i.customer_id = g.customer_id
                    and i.account_code = any(g.account_codes)
                    and i.flow = 'IN'
                    and i.effective_at < g.first_at
                    and i.effective_at >= date_trunc('day', g.first_at at time zone 'UTC') at time zone 'UTC'
            ), 0) as balance_before_usd
    from grouped as g
    where g.channels && array['WIRE', 'P2P']::text[]
),

alerts as (
    select
        'OUTBOUND_TRANSFER_VELOCITY'::text as rule,
        md5('OUTBOUND_TRANSFER_VELOCITY:' || customer_id || ':' || first_journal_id) as alert_id,
        customer_id,
        array[customer_id] as customer_ids,
        first_at,
        last_at,
        total_amount_usd,
        account_codes,
        journal_ids,
        reference_ids,
        jsonb_build_object(
            'transfers', transfers,
            'night_transfers', night_transfers,
            'new_payees', new_payees,
            'payees', to_jsonb(payees),
            'balance_before_usd', trim_scale(round(balance_before_usd::numeric, 2))::text,
            'minutes', round(extract(epoch from last_at - first_at) / 60)
        ) as details
    from judged
    where new_payees >= {{ var('velocity_min_new_payees') }}
        and total_amount_usd >= {{ var('velocity_min_balance_share') }} * greatest(balance_before_usd, 0)
)

{{ alert_rows('alerts') }}
