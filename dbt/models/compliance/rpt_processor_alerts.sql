-- Payments collected for others (family `payment_processing`).
--   ACH_RETURN_RATE (FinCEN advisory FIN-2012-A010 on third-party payment processors; FFIEC BSA/AML manual,
--       third-party payment processors: high rates of returned debits, merchants the bank does not know; Nacha
--       reviews originators whose debits come back above 0.5% unauthorised, 3% administrative and 15% in all):
--       within `processor_window_days`, a customer collects by ACH from at least `processor_min_payers` distinct
--       payers (not common parties), and at least `processor_return_share` of those payers, and at least
--       `processor_min_returns`, get their payment back (the ledger reverses the collection, or a payment to the
--       same party of the same amount, within `processor_return_tolerance` of it, in the `processor_return_days`
--       after): debits the payers did not authorise, pulled for merchants behind the customer. A business collecting its own clients' payments has a few returns in a hundred; refunds
--       differ from what was paid, or go to the card it came from.
-- Windows slide over every collection; overlapping ones are one alert.
with flows as not materialized (
    select * from {{ ref('int_customer_flows') }}
),

ach_in as (
    select *
    from flows
    where flow = 'IN'
        and channel = 'ACH'
        and is_common_party is not true
        and {{ is_outside_party('party_key') }}
),

-- only customers that ever collected from enough payers have a window to judge
collections as (
    select a.*
    from ach_in as a
    where a.customer_id in (
        select customer_id
        from ach_in
        group by customer_id
        having count(distinct party_key) >= {{ var('processor_min_payers') }}
    )
),

-- each collection given back: reversed by the ledger (a returned debit), or paid back in the same amount by a
-- payment to the payer within `processor_return_days` (each such payment pairs with the latest collection
-- before it, so one payment back is one return)
paid_back as (
    select distinct on (o.journal_id)
        c.journal_id,
        o.journal_id as return_journal_id,
        o.reference_id as return_reference_id,
        o.effective_at as returned_at,
        o.amount_usd as returned_usd
    from collections as c
    join flows as o
        on o.customer_id = c.customer_id
        and o.flow = 'OUT'
        and o.party_key = c.party_key
        and o.effective_at > c.effective_at
        and o.effective_at <= c.effective_at + interval '{{ var("processor_return_days") }} days'
        and abs(o.amount_usd - c.amount_usd) <= {{ var('processor_return_tolerance') }} * c.amount_usd
    order by o.journal_id, c.effective_at desc, c.journal_id desc
),

reversed as (
    select
        c.journal_id,
        r.journal_id as return_journal_id,
        r.reference_id as return_reference_id,
        r.effective_at as returned_at,
        c.amount_usd as returned_usd
    from collections as c
    join {{ ref('stg_ledger__journal_entries') }} as r on r.reverses_journal_id = c.journal_id
),

returned as (
    select distinct on (journal_id) *
    from (select * from paid_back union all select * from reversed) as r
    order by journal_id, returned_at, return_journal_id
),

windows as (
    select
        a.customer_id,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        count(distinct w.party_key) as payers,
        count(distinct w.party_key) filter (where r.return_journal_id is not null) as returned_payers,
        sum(w.amount_usd) as collected_usd,
        coalesce(sum(r.returned_usd), 0) as returned_usd,
        max(greatest(w.effective_at, r.returned_at)) as last_at,
        {{ evidence_ids('w') }},
        array_agg(r.return_journal_id order by r.returned_at, r.return_journal_id)
            filter (where r.return_journal_id is not null) as return_journal_ids,
        array_agg(r.return_reference_id order by r.returned_at, r.return_journal_id)
            filter (where r.return_journal_id is not null) as return_reference_ids,
        array_agg(distinct w.account_code) as account_codes
    from collections as a
    join collections as w
        on w.customer_id = a.customer_id
        and w.effective_at >= a.effective_at
        and w.effective_at < a.effective_at + interval '{{ var("processor_window_days") }} days'
    left join returned as r on r.journal_id = w.journal_id
    group by a.customer_id, a.journal_id, a.effective_at
    having count(distinct w.party_key) >= {{ var('processor_min_payers') }}
        and count(distinct w.party_key) filter (where r.return_journal_id is not null)
            >= greatest({{ var('processor_min_returns') }}, {{ var('processor_return_share') }} * count(distinct w.party_key))
),

episodes as (
    {{ overlapping_as_one('windows', 'customer_id', 'anchor_at, anchor_journal_id', 'anchor_at', 'last_at') }}
),

alerts as (
    -- the episode's window with the most payers speaks for it
    select distinct on (customer_id, episode)
        'ACH_RETURN_RATE'::text as rule,
        md5('ACH_RETURN_RATE:' || customer_id || ':' || anchor_journal_id) as alert_id,
        customer_id,
        array[customer_id] as customer_ids,
        anchor_at as first_at,
        last_at,
        collected_usd + returned_usd as total_amount_usd,
        account_codes,
        journal_ids || coalesce(return_journal_ids, '{}') as journal_ids,
        reference_ids || coalesce(return_reference_ids, '{}') as reference_ids,
        jsonb_build_object(
            'payers', payers,
            'payers_returned', returned_payers,
            'return_rate', round(returned_payers::numeric / payers, 4),
            'collected_usd', trim_scale(round(collected_usd::numeric, 2))::text,
            'returned_usd', trim_scale(round(returned_usd::numeric, 2))::text,
            'days', round(extract(epoch from last_at - anchor_at) / 86400, 1)
        ) as details
    from episodes
    order by customer_id, episode, payers desc, anchor_at, anchor_journal_id
)

{{ alert_rows('alerts') }}
