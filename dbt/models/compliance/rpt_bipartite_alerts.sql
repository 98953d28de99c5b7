-- BIPARTITE (AMLworld bipartite and stack layers): a group of senders pays a group of receivers
-- many-to-many. Within `bipartite_window_days`, two senders both pay the same (at least
-- `bipartite_min_receivers`) receivers, every one of those relationships new (the first money ever
-- between the two) and at least `bipartite_min_edge_usd`, together at least `bipartite_min_usd`. Sender
-- pairs sharing the same receivers are one alert. Employers, billers, cash and crypto are not parties
-- here (int_transfer_edges), nor are ACH payments to outside parties (bills and standing orders: people
-- paying the same utilities) or a small business's trade (shops paying the same wholesalers:
-- int_customer_flows.is_business_trade), nor refunds (a payer's own money going back: is_refund); ACH between
-- customers counts.
with edges as (
    select e.*
    from {{ ref('int_transfer_edges') }} as e
    where e.amount_usd >= {{ var('bipartite_min_edge_usd') }}
        and (e.is_business_trade or e.is_refund) is not true
        and (e.channel <> 'ACH' or e.dst like 'C%')
),

-- a relationship's first payment (only new relationships count)
relationships as (
    select distinct on (src, dst) *
    from edges
    order by src, dst, effective_at, journal_id
),

shared as (
    select
        a.src as sender_a,
        b.src as sender_b,
        a.dst as receiver,
        least(a.effective_at, b.effective_at) as first_at,
        greatest(a.effective_at, b.effective_at) as last_at,
        array[a.journal_id, b.journal_id] as journal_ids
    from relationships as a
    join relationships as b
        on b.dst = a.dst
        and b.src > a.src
        and b.effective_at between a.effective_at - interval '{{ var("bipartite_window_days") }} days'
            and a.effective_at + interval '{{ var("bipartite_window_days") }} days'
),

pairs as (
    select
        sender_a,
        sender_b,
        array_agg(distinct receiver order by receiver) as receivers,
        min(first_at) as first_at,
        max(last_at) as last_at
    from shared
    group by sender_a, sender_b
    having count(distinct receiver) >= {{ var('bipartite_min_receivers') }}
        and max(last_at) - min(first_at) <= interval '{{ var("bipartite_window_days") }} days'
),

groups as (
    select
        receivers,
        array(select distinct s from unnest(array_agg(sender_a) || array_agg(sender_b)) as s order by 1) as senders
    from pairs
    group by receivers
),

parts as (
    select g.receivers, g.senders, r.*
    from groups as g
    join relationships as r on r.src = any(g.senders) and r.dst = any(g.receivers)
),

alerts as (
    select
        'BIPARTITE'::text as rule,
        md5('BIPARTITE:' || array_to_string(p.senders, ',') || '>' || array_to_string(p.receivers, ',')) as alert_id,
        (array_agg(coalesce(p.src_customer_id, p.dst_customer_id) order by p.effective_at, p.journal_id))[1]
            as customer_id,
        array(
            select distinct x from unnest(array_agg(p.src_customer_id) || array_agg(p.dst_customer_id)) as x
            where x is not null
        ) as customer_ids,
        min(p.effective_at) as first_at,
        max(p.effective_at) as last_at,
        sum(p.amount_usd) as total_amount_usd,
        array(
            select distinct a from unnest(array_agg(p.src_account) || array_agg(p.dst_account)) as a
            where a is not null order by 1
        ) as account_codes,
        {{ evidence_ids('p') }},
        jsonb_build_object(
            'senders', {{ node_labels('p.senders') }},
            'receivers', {{ node_labels('p.receivers') }},
            'payments', count(*),
            'days', round(extract(epoch from max(p.effective_at) - min(p.effective_at)) / 86400, 1)
        ) as details
    from parts as p
    group by p.senders, p.receivers
    having sum(p.amount_usd) >= {{ var('bipartite_min_usd') }}
)

{{ alert_rows('alerts') }}
