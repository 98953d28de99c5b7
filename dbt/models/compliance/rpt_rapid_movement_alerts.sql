-- Rapid movement of funds through an account.
--   RAPID_MOVEMENT (money mules): inbound wires, ACH and P2P transfers form an episode while each follows
--       the previous one within a day; an episode from at least `rapid_min_senders` distinct senders
--       totalling at least `rapid_min_inbound_usd`, of which at least `rapid_outbound_share` leaves the
--       account (wires, ACH, P2P) between its first transfer and `rapid_window_hours` after its last.
--   ROUND_TRIP: an external transfer out, then an external transfer in from a different party within
--       `round_trip_max_days`, its amount within `round_trip_tolerance` of the amount sent (at least
--       `round_trip_min_usd`): the money came back dressed as a new source.
with transfers as (
    select *
    from {{ ref('int_customer_movements') }}
    where channel in ('wire', 'ach', 'p2p') and journal_kind = 'TRANSFER'
),

inbound as (
    select
        *,
        sum(starts_episode) over (partition by account_id order by effective_at, journal_id) as episode
    from (
        select
            *,
            case
                when lag(effective_at) over (partition by account_id order by effective_at, journal_id)
                    >= effective_at - interval '1 day'
                then 0 else 1
            end as starts_episode
        from transfers
        where flow = 'IN'
    ) as marked
),

inbound_episodes as (
    select
        account_id,
        account_code,
        customer_id,
        min(journal_id) as first_journal_id,
        min(effective_at) as first_at,
        max(effective_at) as last_in_at,
        count(distinct counterparty) as senders,
        sum(amount_usd) as inbound_usd,
        array_agg(journal_id order by effective_at, journal_id) as journal_ids,
        array_agg(reference_id order by effective_at, journal_id) as reference_ids
    from inbound
    group by account_id, account_code, customer_id, episode
    having count(distinct counterparty) >= {{ var('rapid_min_senders') }}
        and sum(amount_usd) >= {{ var('rapid_min_inbound_usd') }}
),

drained as (
    select
        e.*,
        o.outbound_usd,
        o.last_out_at,
        o.journal_ids as out_journal_ids,
        o.reference_ids as out_reference_ids
    from inbound_episodes as e
    cross join lateral (
        select
            sum(t.amount_usd) as outbound_usd,
            max(t.effective_at) as last_out_at,
            array_agg(t.journal_id order by t.effective_at, t.journal_id) as journal_ids,
            array_agg(t.reference_id order by t.effective_at, t.journal_id) as reference_ids
        from transfers as t
        where t.account_id = e.account_id and t.flow = 'OUT'
            and t.effective_at > e.first_at
            and t.effective_at <= e.last_in_at + interval '{{ var("rapid_window_hours") }} hours'
    ) as o
    where o.outbound_usd >= {{ var('rapid_outbound_share') }} * e.inbound_usd
),

rapid as (
    select
        'RAPID_MOVEMENT'::text as rule,
        md5('RAPID_MOVEMENT:' || account_id || ':' || first_journal_id) as alert_id,
        first_at,
        last_out_at as last_at,
        customer_id,
        inbound_usd + outbound_usd as total_amount_usd,
        array[account_code] as account_codes,
        journal_ids || out_journal_ids as journal_ids,
        reference_ids || out_reference_ids as reference_ids,
        jsonb_build_object(
            'senders', senders,
            'inbound_usd', trim_scale(inbound_usd::numeric)::text,
            'outbound_usd', trim_scale(outbound_usd::numeric)::text,
            'outbound_share', round(outbound_usd / inbound_usd, 4),
            'hours', round(extract(epoch from last_out_at - first_at) / 3600, 1)
        ) as details
    from drained
),

external as (
    select * from transfers where channel in ('wire', 'ach') and is_external
),

round_trips as (
    select distinct on (sent.journal_id)
        'ROUND_TRIP'::text as rule,
        md5('ROUND_TRIP:' || sent.journal_id) as alert_id,
        sent.effective_at as first_at,
        back.effective_at as last_at,
        sent.customer_id,
        sent.amount_usd + back.amount_usd as total_amount_usd,
        array[sent.account_code] as account_codes,
        array[sent.journal_id, back.journal_id] as journal_ids,
        array[sent.reference_id, back.reference_id] as reference_ids,
        jsonb_build_object(
            'sent_to', sent.counterparty,
            'returned_by', back.counterparty,
            'sent_usd', trim_scale(sent.amount_usd::numeric)::text,
            'returned_usd', trim_scale(back.amount_usd::numeric)::text,
            'hours', round(extract(epoch from back.effective_at - sent.effective_at) / 3600, 1)
        ) as details
    from external as sent
    join external as back
        on back.account_id = sent.account_id
        and back.flow = 'IN'
        and back.counterparty <> sent.counterparty
        and back.effective_at > sent.effective_at
        and back.effective_at <= sent.effective_at + interval '{{ var("round_trip_max_days") }} days'
        and abs(back.amount_usd - sent.amount_usd) <= {{ var('round_trip_tolerance') }} * sent.amount_usd
    where sent.flow = 'OUT' and sent.amount_usd >= {{ var('round_trip_min_usd') }}
    order by sent.journal_id, abs(back.amount_usd - sent.amount_usd), back.effective_at
)

select
    a.rule,
    a.alert_id,
    (a.last_at at time zone 'UTC')::date as alert_date,
    a.customer_id,
    c.customer_ref,
    a.first_at,
    a.last_at,
    a.total_amount_usd::numeric as total_amount_usd,
    a.account_codes,
    a.journal_ids,
    a.reference_ids,
    a.details
from (select * from rapid union all select * from round_trips) as a
join {{ ref('stg_ledger__customers') }} as c using (customer_id)
