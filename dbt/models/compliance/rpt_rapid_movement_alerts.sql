-- Rapid movement of funds through an account.
--   RAPID_MOVEMENT (money mules): inbound wires, ACH and P2P transfers within 24 hours of one another
--       (a window opened by each inbound transfer) from at least `rapid_min_senders` distinct senders,
--       totalling at least `rapid_min_inbound_usd`, of which at least `rapid_outbound_share` leaves the
--       account (wires, ACH, P2P) between the window's first transfer and `rapid_window_hours` after its
--       last; overlapping windows are one burst, reported once.
--   ROUND_TRIP: an external transfer out, then an external transfer in from a different party within
--       `round_trip_max_days`, its amount within `round_trip_tolerance` of the amount sent (at least
--       `round_trip_min_usd`): the money came back dressed as a new source.
with transfers as (
    select * from {{ ref('int_customer_transfers') }}
),

-- every inbound transfer anchors a 24-hour window; window functions find the windows worth a closer look
inbound as (
    select
        account_id,
        account_code,
        customer_id,
        journal_id,
        effective_at,
        count(*) over burst as transfers_in_window,
        sum(amount_usd) over burst as inbound_in_window
    from transfers
    where flow = 'IN'
    window burst as (
        partition by account_id order by effective_at range between current row and interval '24 hours' following
    )
),

anchors as (
    select
        a.account_id,
        a.account_code,
        a.customer_id,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        count(distinct t.counterparty) as senders,
        sum(t.amount_usd) as inbound_usd,
        max(t.effective_at) as last_in_at,
        array_agg(t.journal_id order by t.effective_at, t.journal_id) as journal_ids,
        array_agg(t.reference_id order by t.effective_at, t.journal_id) as reference_ids
    from inbound as a
    join transfers as t
        on t.account_id = a.account_id
        and t.flow = 'IN'
        and t.effective_at >= a.effective_at
        and t.effective_at <= a.effective_at + interval '24 hours'
    where a.transfers_in_window >= {{ var('rapid_min_senders') }}
        and a.inbound_in_window >= {{ var('rapid_min_inbound_usd') }}
    group by a.account_id, a.account_code, a.customer_id, a.journal_id, a.effective_at
    having count(distinct t.counterparty) >= {{ var('rapid_min_senders') }}
),

drained as (
    select
        a.*,
        sum(o.amount_usd) as outbound_usd,
        max(o.effective_at) as last_out_at,
        array_agg(o.journal_id order by o.effective_at, o.journal_id) as out_journal_ids,
        array_agg(o.reference_id order by o.effective_at, o.journal_id) as out_reference_ids
    from anchors as a
    join transfers as o
        on o.account_id = a.account_id
        and o.flow = 'OUT'
        and o.effective_at > a.anchor_at
        and o.effective_at <= a.last_in_at + interval '{{ var("rapid_window_hours") }} hours'
    group by
        a.account_id, a.account_code, a.customer_id, a.anchor_journal_id, a.anchor_at, a.senders, a.inbound_usd,
        a.last_in_at, a.journal_ids, a.reference_ids
    having sum(o.amount_usd) >= {{ var('rapid_outbound_share') }} * a.inbound_usd
),

-- overlapping windows describe one burst: keep the first qualifying window of each
bursts as (
    select
        *,
        sum(starts_burst) over (partition by account_id order by anchor_at, anchor_journal_id) as burst
    from (
        select
            *,
            case
                when lag(anchor_at) over (partition by account_id order by anchor_at, anchor_journal_id)
                    >= anchor_at - interval '24 hours'
                then 0 else 1
            end as starts_burst
        from drained
    ) as marked
),

rapid as (
    select distinct on (account_id, burst)
        'RAPID_MOVEMENT'::text as rule,
        md5('RAPID_MOVEMENT:' || account_id || ':' || anchor_journal_id) as alert_id,
        anchor_at as first_at,
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
            'hours', round(extract(epoch from last_out_at - anchor_at) / 3600, 1)
        ) as details
    from bursts
    order by account_id, burst, anchor_at, anchor_journal_id
),

external as (
    select * from transfers where channel in ('WIRE', 'ACH') and is_external
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

{{ alert_rows('(select * from rapid union all select * from round_trips)') }}
