-- OUTBOUND_TRANSFER_VELOCITY (account takeover): someone else draining a customer's accounts in a few
-- hours. Within a sliding window of `velocity_window_hours`, outbound wires, P2P and ACH transfers of at
-- least `velocity_min_total_usd` in all, at least `velocity_min_transfers` of them (or at least
-- `velocity_min_night_transfers` between `velocity_night_start_hour` and `velocity_night_end_hour` UTC),
-- to `velocity_min_new_payees` to `velocity_max_new_payees` parties the customer had never paid (a small
-- test payment first counts as one; money scattered to many more is a fan-out), taking at least
-- `velocity_min_balance_share` of what the paying accounts held; or, quicker, two transfers within
-- `velocity_quick_hours` to two new payees taking at least `velocity_quick_balance_share` of it, whatever
-- the hour (a customer's night is not UTC's); or a drain: at least two transfers within
-- `velocity_split_hours`, every payee new to the customer and each abroad (its country not the customer's) or
-- a person (no company word in its name), or to anyone new in at least `velocity_split_min_transfers`
-- transfers or all of them at night, at least `velocity_drain_min_usd` in all and at least
-- `velocity_split_balance_share` of it (a thief splits the drain under a transfer limit, to a mule or a shell
-- company, often while the customer sleeps; a purchase goes to a company at home in one payment, or a
-- deposit and the rest days apart, by day). What the
-- accounts held: their balance at the previous day's
-- close, plus every movement on them that day before the first transfer (a bill or a card payment made in
-- the morning is not there for the thief to take).
-- A window of ACH payments only (bills, standing orders) is not judged, unless it holds a test payment (at
-- most `velocity_probe_max_usd` to a new payee): a takeover moves money on rails that are instant and final
-- (wire, P2P), or checks an ACH link first. Payments to common parties (billers, a landlord's rent:
-- int_customer_flows.is_common_party) are not a takeover's. A small business's trade (payroll, suppliers:
-- int_customer_flows.is_business_trade) and refunds (is_refund) are left out. Payees of whom at least
-- `velocity_family_share` share a family name with another or with the customer (the people first paid in the window and the
-- `velocity_family_days` before it, by the names on the payments) are siblings sharing an estate or relatives
-- given a gift, as for a fan-out: a thief's mules are strangers to each other and to the customer (a thief who names two mules alike defeats this; the names are the payer's words),
-- unless the window holds a test payment (at most `velocity_probe_max_usd` to a new payee): an executor has no
-- link to check.
-- Overlapping windows are one alert. Neither rule counts payments to a party bearing the customer's own name
-- (int_own_name_parties: its accounts at other banks): a thief or a scammer is paid under another name.
-- SUSTAINED_DRAIN (elder financial exploitation, FinCEN FIN-2022-A002; a romance or caregiver scam): a
-- customer who is not a business pays someone it first paid within the last `drain_window_days` (a person by
-- name, or another customer) at least `drain_min_transfers` times within a sliding `drain_window_days`,
-- and these with its cash withdrawals in the window come to at least `drain_min_usd` and at least
-- `drain_balance_share` of what it held the day before the window, the payments growing (the largest at
-- least `drain_escalation` times the window's first) unless they are lump sums of different sizes (the
-- largest at least `drain_lump_ratio` times the smallest of those at least `drain_lump_floor` of it) taking at least `drain_large_share` of savings of
-- at least `drain_min_usd` (a romance victim wiring most of their savings to a new "partner" abroad as the
-- "emergencies" come). Purchases (escrow, a car, a builder) go to companies, an estate's shares are one
-- payment to each sibling, an emigrant moves savings home in a few wires, an allowance to a child or a loan
-- repaid comes in steady amounts: none is a growing or lumpy series to someone new draining savings. Nor
-- is money paid back to whom it came from: payments to a party that had paid the customer at least
-- `drain_repaid_share` of them before (a relative's loan repaid in instalments of any size).
with outbound as (
    select
        f.*,
        f.party_first_at = f.effective_at as is_new_party,
        f.party_country is not null and f.party_country <> f.customer_country as is_abroad,
        extract(hour from effective_at at time zone 'UTC') >= {{ var('velocity_night_start_hour') }}
            and extract(hour from effective_at at time zone 'UTC') < {{ var('velocity_night_end_hour') }}
            as is_night
    from {{ ref('int_customer_flows') }} as f
    where f.flow = 'OUT' and f.channel in ('WIRE', 'ACH', 'P2P') and (f.is_business_trade or f.is_refund) is not true
        and f.is_common_party is not true
        and not {{ is_own_name_party('f') }}
),

-- the shapes a takeover's burst takes: a day's transfers, a quick pair taking most of the money, or a
-- drain split into several transfers to new payees abroad or to people
shapes (shape, hours, min_transfers, min_night_transfers, min_balance_share, min_new_payees, is_drain) as (
    values
        ('day', {{ var('velocity_window_hours') }}, {{ var('velocity_min_transfers') }},
         {{ var('velocity_min_night_transfers') }}, {{ var('velocity_min_balance_share') }},
         {{ var('velocity_min_new_payees') }}, false),
        ('quick', {{ var('velocity_quick_hours') }}, 2, 2, {{ var('velocity_quick_balance_share') }},
         {{ var('velocity_min_new_payees') }}, false),
        ('drain', {{ var('velocity_split_hours') }}, 2, 2, {{ var('velocity_split_balance_share') }}, 1, true)
),

windows as (
    select
        s.min_balance_share,
        a.customer_id,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        max(w.effective_at) as last_at,
        count(*) as transfers,
        count(*) filter (where w.is_night) as night_transfers,
        count(distinct w.party_key) filter (where w.is_new_party) as new_payees,
        sum(w.amount_usd) as total_usd,
        array_agg(distinct w.channel) as channels,
        array_agg(distinct w.account_code) as accounts,
        min(w.segment) as segment,
        -- a test payment to a new payee: a thief checking the link, which an estate's executor paying the
        -- heirs has no reason to send to a third person
        bool_or(w.is_new_party and w.amount_usd <= {{ var('velocity_probe_max_usd') }}) as has_probe
    from outbound as a
    cross join shapes as s
    join outbound as w
        on w.customer_id = a.customer_id
        and w.effective_at >= a.effective_at
        and w.effective_at < a.effective_at + s.hours * interval '1 hour'
    group by s.shape, s.min_transfers, s.min_night_transfers, s.min_balance_share, s.min_new_payees,
        s.is_drain, a.customer_id, a.journal_id, a.effective_at
    having (
            count(*) >= s.min_transfers
            or count(*) filter (where w.is_night) >= s.min_night_transfers
        )
        and sum(w.amount_usd) >= {{ var('velocity_min_total_usd') }}
        and count(distinct w.party_key) filter (where w.is_new_party) between s.min_new_payees
            and {{ var('velocity_max_new_payees') }}
        and (
            not s.is_drain
            or sum(w.amount_usd) >= {{ var('velocity_drain_min_usd') }}
            and count(distinct w.party_key) filter (where w.is_new_party) = count(distinct w.party_key)
            and (
                bool_and(w.is_abroad or not coalesce({{ is_company_name('w.party_label') }}, false))
                or count(*) >= {{ var('velocity_split_min_transfers') }}
                -- in the small hours: no one pays a new company at home most of their money then
                or bool_and(w.is_night)
            )
        )
        and (
            array_agg(distinct w.channel) && array['WIRE', 'P2P']::text[]
            or bool_or(w.is_new_party and w.amount_usd <= {{ var('velocity_probe_max_usd') }})
        )
),

judged as (
    select
        w.*,
        {{ accounts_balance_usd('w.customer_id', 'w.accounts', business_day('w.anchor_at') ~ ' - 1') }}
            + coalesce((
                select sum(case when i.flow = 'IN' then i.amount_usd else -i.amount_usd end)
                from {{ ref('int_customer_movements') }} as i
                where i.customer_id = w.customer_id
                    and i.account_code = any(w.accounts)
                    and i.effective_at < w.anchor_at
                    and i.effective_at >= date_trunc('day', w.anchor_at at time zone 'UTC') at time zone 'UTC'
            ), 0) as balance_before_usd,
        -- an estate shared among siblings: most of the people first paid in the window or the days before it
        -- (the first shares may have gone days earlier) share a family name. Nothing after the window
        -- counts: an alert does not vanish on a later rebuild. (Read from the indexed table, not the
        -- `outbound` CTE: a subquery per window.)
        {{ kin_share(
            "select o.party_label from " ~ ref('int_customer_flows') ~ " as o where o.customer_id = w.customer_id"
            ~ " and o.flow = 'OUT' and o.channel in ('WIRE', 'ACH', 'P2P') and o.party_first_at = o.effective_at"
            ~ " and o.effective_at > w.anchor_at - interval '" ~ var('velocity_family_days') ~ " days'"
            ~ " and o.effective_at <= w.last_at",
            customer_id='w.customer_id'
        ) }} as family_share
    from windows as w
),

bursts as (
    select customer_id, min(anchor_journal_id) as key, min(anchor_at) as first_at, max(last_at) as last_at,
           max(balance_before_usd) as balance_before_usd
    from (
        {{ overlapping_as_one(
            '(select * from judged where total_usd >= min_balance_share * greatest(balance_before_usd, 0)'
            ~ ' and (family_share < ' ~ var('velocity_family_share') ~ ' or has_probe))',
            'customer_id', 'anchor_at, anchor_journal_id', 'anchor_at', 'last_at'
        ) }}
    ) as numbered
    group by customer_id, episode
),

alerts as (
    select
        'OUTBOUND_TRANSFER_VELOCITY'::text as rule,
        md5('OUTBOUND_TRANSFER_VELOCITY:' || b.customer_id || ':' || b.key) as alert_id,
        b.customer_id,
        array[b.customer_id] as customer_ids,
        min(o.effective_at) as first_at,
        max(o.effective_at) as last_at,
        sum(o.amount_usd) as total_amount_usd,
        array_agg(distinct o.account_code order by o.account_code) as account_codes,
        {{ evidence_ids('o') }},
        jsonb_build_object(
            'transfers', count(*),
            'night_transfers', count(*) filter (where o.is_night),
            'new_payees', count(distinct o.party_key) filter (where o.is_new_party),
            'payees', to_jsonb(array_agg(distinct o.party_label)),
            'balance_before_usd', trim_scale(round(max(b.balance_before_usd)::numeric, 2))::text,
            'hours', round(extract(epoch from max(o.effective_at) - min(o.effective_at)) / 3600, 1)
        ) as details
    from bursts as b
    join outbound as o
        on o.customer_id = b.customer_id
        and o.effective_at >= b.first_at
        and o.effective_at <= b.last_at
    group by b.customer_id, b.key
),

drain_out as (
    select
        f.*,
        -- when the customer first paid this party (money it received from the party does not count: a
        -- scammer's small "gift" first does not make the payee an old one)
        min(f.effective_at) over (partition by f.customer_id, f.party_key) as first_paid_at,
        f.channel = 'CASH_WITHDRAWAL' as is_cash,
        f.channel <> 'CASH_WITHDRAWAL'
            and f.party_key not in ('CASH', 'CRYPTO')
            and (f.party_key ~ '^C[0-9]+$' or not coalesce({{ is_company_name('f.party_label') }}, false)) as to_person
    from {{ ref('int_customer_flows') }} as f
    where f.flow = 'OUT'
        and f.segment is distinct from 'SMALL_BUSINESS'
        and (
            f.channel = 'CASH_WITHDRAWAL'
            or (f.channel in ('WIRE', 'ACH', 'P2P') and not f.is_common_party and f.is_biller is not true)
        )
        and not {{ is_own_name_party('f') }}
),

drain_anchors as (
    select
        a.customer_id,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        a.party_key,
        max(o.effective_at) as last_at,
        sum(o.amount_usd) as out_usd,
        max(o.amount_usd) filter (where not o.is_cash)
            >= {{ var('drain_escalation') }} * (array_agg(o.amount_usd order by o.effective_at, o.journal_id)
                filter (where not o.is_cash))[1] as escalates,
        -- lump sums of different sizes (an allowance or a loan repaid comes in steady amounts): among the
        -- payments of at least `drain_lump_floor` of the largest (a small one beside them is change, not a lump)
        (
            select max(x) >= {{ var('drain_lump_ratio') }} * min(x)
            from unnest(array_agg(o.amount_usd) filter (where not o.is_cash)) as x
            where x >= {{ var('drain_lump_floor') }} * max(o.amount_usd) filter (where not o.is_cash)
        ) as uneven,
        {{ customer_balance_usd('a.customer_id', business_day('a.effective_at') ~ ' - 1') }} as balance_before_usd
    from drain_out as a
    join drain_out as o
        on o.customer_id = a.customer_id
        and o.effective_at >= a.effective_at
        and o.effective_at < a.effective_at + interval '{{ var("drain_window_days") }} days'
        -- cash taken out, or paid to the same person again
        and (o.is_cash or o.party_key = a.party_key)
    -- a window opens at each payment to someone first paid within the window's length before it
    where a.to_person
        and a.first_paid_at > a.effective_at - interval '{{ var("drain_window_days") }} days'
    group by a.customer_id, a.party_key, a.journal_id, a.effective_at
    having count(*) filter (where not o.is_cash) >= {{ var('drain_min_transfers') }}
        and sum(o.amount_usd) >= {{ var('drain_min_usd') }}
        -- a loan repaid: the payee had paid the customer at least `drain_repaid_share` of these payments
        -- before them (a scammer's "gift" to win trust is a small part of what it then takes)
        and coalesce((
            select sum(l.amount_usd)
            from {{ ref('int_customer_flows') }} as l
            where l.customer_id = a.customer_id
                and l.party_key = a.party_key
                and l.flow = 'IN'
                and l.effective_at < a.effective_at
        ), 0) < {{ var('drain_repaid_share') }} * sum(o.amount_usd) filter (where not o.is_cash)
),

drain_bursts as (
    {{ overlapping_as_one(
        '(select * from drain_anchors where out_usd >= ' ~ var('drain_balance_share') ~ ' * greatest(balance_before_usd, 0)'
        ~ ' and (escalates or uneven and balance_before_usd >= ' ~ var('drain_min_usd')
        ~ ' and out_usd >= ' ~ var('drain_large_share') ~ ' * balance_before_usd))',
        'customer_id, party_key', 'anchor_at, anchor_journal_id', 'anchor_at', 'last_at'
    ) }}
),

drain_episodes as (
    select customer_id, party_key, min(anchor_journal_id) as key, min(anchor_at) as first_at,
           max(last_at) as last_at, max(balance_before_usd) as balance_before_usd
    from drain_bursts
    group by customer_id, party_key, episode
),

drains as (
    select
        'SUSTAINED_DRAIN'::text as rule,
        md5('SUSTAINED_DRAIN:' || e.customer_id || ':' || e.key) as alert_id,
        e.customer_id,
        array(
            select distinct x from unnest(
                array[e.customer_id]
                || array_agg(substr(o.party_key, 2)::bigint) filter (where o.party_key ~ '^C[0-9]+$')
            ) as x
        ) as customer_ids,
        min(o.effective_at) as first_at,
        max(o.effective_at) as last_at,
        sum(o.amount_usd) as total_amount_usd,
        array_agg(distinct o.account_code order by o.account_code) as account_codes,
        {{ evidence_ids('o') }},
        jsonb_build_object(
            'payments', count(*) filter (where not o.is_cash),
            'cash_withdrawals', count(*) filter (where o.is_cash),
            'payee', max(o.party_label) filter (where not o.is_cash),
            'first_payment_usd', trim_scale(((array_agg(o.amount_usd order by o.effective_at, o.journal_id)
                filter (where not o.is_cash))[1])::numeric)::text,
            'largest_payment_usd', trim_scale((max(o.amount_usd) filter (where not o.is_cash))::numeric)::text,
            'balance_before_usd', trim_scale(round(max(e.balance_before_usd)::numeric, 2))::text,
            'days', round(extract(epoch from max(o.effective_at) - min(o.effective_at)) / 86400, 1)
        ) as details
    from drain_episodes as e
    join drain_out as o
        on o.customer_id = e.customer_id
        and o.effective_at >= e.first_at
        and o.effective_at <= e.last_at
        and (o.is_cash or o.party_key = e.party_key)
    group by e.customer_id, e.key
)

{{ alert_rows('(select * from alerts union all select * from drains)') }}
