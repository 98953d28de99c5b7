-- Velocity: bursts of activity on one account, where each event follows the previous one within a gap.
--   OUTBOUND_TRANSFER_VELOCITY  outbound wires, ACH and P2P transfers (account takeover drains an
--       account in quick transfers, often at night): each within `velocity_max_gap_minutes` of the
--       previous, totalling at least `velocity_min_total_usd`, and either at least
--       `velocity_min_transfers` of them or at least `velocity_min_night_transfers` between
--       `velocity_night_start_hour` and `velocity_night_end_hour` (UTC); `details` counts the
--       counterparties the account had never paid before.
--   CARD_AUTHORISATION_VELOCITY  card authorisations (card testing tries a stolen card with many tiny
--       payments): at least `card_velocity_min_authorisations`, each within
--       `card_velocity_max_gap_minutes` of the previous.
with outbound as (
    select
        account_id, account_code, customer_id, journal_id, reference_id, counterparty, amount_usd, effective_at,
        -- the first time this account pays this counterparty
        row_number() over (partition by account_id, counterparty order by effective_at, journal_id) = 1
            as is_new_counterparty,
        extract(hour from effective_at at time zone 'UTC') >= {{ var('velocity_night_start_hour') }}
            and extract(hour from effective_at at time zone 'UTC') < {{ var('velocity_night_end_hour') }}
            as is_night
    from {{ ref('int_customer_transfers') }}
    where flow = 'OUT'
),

outbound_bursts as (
    select
        *,
        sum(starts_burst) over (partition by account_id order by effective_at, journal_id) as burst
    from (
        select
            *,
            case
                when lag(effective_at) over (partition by account_id order by effective_at, journal_id)
                    >= effective_at - interval '{{ var("velocity_max_gap_minutes") }} minutes'
                then 0 else 1
            end as starts_burst
        from outbound
    ) as marked
),

transfer_alerts as (
    select
        'OUTBOUND_TRANSFER_VELOCITY'::text as rule,
        md5('OUTBOUND_TRANSFER_VELOCITY:' || account_id || ':' || min(journal_id)) as alert_id,
        max(effective_at) as last_at,
        min(effective_at) as first_at,
        customer_id,
        sum(amount_usd) as total_amount_usd,
        array[account_code] as account_codes,
        array_agg(journal_id order by effective_at, journal_id) as journal_ids,
        array_agg(reference_id order by effective_at, journal_id) as reference_ids,
        jsonb_build_object(
            'transfers', count(*),
            'night_transfers', count(*) filter (where is_night),
            'new_counterparties', count(*) filter (where is_new_counterparty),
            'minutes', round(extract(epoch from max(effective_at) - min(effective_at)) / 60)
        ) as details
    from outbound_bursts
    group by account_id, account_code, customer_id, burst
    having (
            count(*) >= {{ var('velocity_min_transfers') }}
            or count(*) filter (where is_night) >= {{ var('velocity_min_night_transfers') }}
        )
        and sum(amount_usd) >= {{ var('velocity_min_total_usd') }}
),

card_bursts as (
    select
        *,
        sum(starts_burst) over (partition by account_id order by authorized_at, hold_id) as burst
    from (
        select
            *,
            case
                when lag(authorized_at) over (partition by account_id order by authorized_at, hold_id)
                    >= authorized_at - interval '{{ var("card_velocity_max_gap_minutes") }} minutes'
                then 0 else 1
            end as starts_burst
        from {{ ref('int_card_authorisations') }}
    ) as marked
),

card_alerts as (
    select
        'CARD_AUTHORISATION_VELOCITY'::text as rule,
        md5('CARD_AUTHORISATION_VELOCITY:' || account_id || ':' || min(hold_id)) as alert_id,
        max(authorized_at) as last_at,
        min(authorized_at) as first_at,
        customer_id,
        sum(amount_usd) as total_amount_usd,
        array[account_code] as account_codes,
        array[]::bigint[] as journal_ids,
        array_agg(reference_id order by authorized_at, hold_id) as reference_ids,
        jsonb_build_object(
            'authorisations', count(*),
            'voided', count(*) filter (where hold_status = 'VOIDED'),
            'merchants', count(distinct descriptor),
            'largest_amount_usd', trim_scale(max(amount_usd)::numeric)::text,
            'minutes', round(extract(epoch from max(authorized_at) - min(authorized_at)) / 60)
        ) as details
    from card_bursts
    group by account_id, account_code, customer_id, burst
    having count(*) >= {{ var('card_velocity_min_authorisations') }}
)

{{ alert_rows('(select * from transfer_alerts union all select * from card_alerts)') }}
