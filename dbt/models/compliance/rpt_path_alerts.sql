-- Paths of money over the transfer graph (int_transfer_edges), found with one recursive walk: each step
-- leaves the node the previous one reached, later, within `cycle_hop_days`, carrying between
-- `path_min_keep` and `path_max_keep` of the previous step's amount (each hop keeps most of it), at least
-- `path_min_usd`, never revisiting a node except to close a cycle, at most `path_max_hops` steps.
--   CYCLE (AMLworld cycle, FX or external round trips through other accounts): the path returns to where it
--       started through at least two other parties within `cycle_max_days`.
--   LAYERING_CHAIN: the money passes through at least two parties in a row (`chain_min_hops` steps), each
--       step within `chain_hop_hours` of the previous and the whole within `chain_max_hours`. Only the
--       longest such path is reported. Money passing through one customer only is not a chain: a large
--       purchase paid out of savings brought in that morning looks the same (the funnel and fan rules judge
--       a single account passing money on).
--   SCATTER_GATHER: money from one party reaches one beneficiary through at least
--       `scatter_gather_min_intermediaries` different intermediaries (two-step paths, as above) within
--       `scatter_gather_window_days`. A platform paying out its sellers (`platform_payer_words`) is no origin.
with recursive edges as (
    select *
    from {{ ref('int_transfer_edges') }}
    where amount_usd >= {{ var('path_min_usd') }}
),

paths as (
    select
        e.src as origin,
        e.dst as head,
        e.effective_at as started_at,
        e.effective_at as last_at,
        e.amount_usd as first_usd,
        e.amount_usd as last_usd,
        interval '0 seconds' as longest_hop,
        array[e.src, e.dst] as nodes,
        array[e.journal_id] as journal_ids,
        1 as hops
    from edges as e
    union all
    select
        p.origin,
        e.dst,
        p.started_at,
        e.effective_at,
        p.first_usd,
        e.amount_usd,
        greatest(p.longest_hop, e.effective_at - p.last_at),
        p.nodes || e.dst,
        p.journal_ids || e.journal_id,
        p.hops + 1
    from paths as p
    join edges as e
        on e.src = p.head
        and e.effective_at > p.last_at
        and e.effective_at <= p.last_at + interval '{{ var("cycle_hop_days") }} days'
        and e.effective_at <= p.started_at + interval '{{ var("cycle_max_days") }} days'
        and e.amount_usd >= {{ var('path_min_keep') }} * p.last_usd
        and e.amount_usd <= {{ var('path_max_keep') }} * p.last_usd
        and (e.dst <> all(p.nodes) or (e.dst = p.origin and p.hops >= 2))
    where p.head <> p.origin and p.hops < {{ var('path_max_hops') }}
),

cycles as (
    select distinct on (journal_ids) *
    from paths
    where head = origin and hops >= 3
    order by journal_ids
),

chains as (
    select *
    from paths
    where head <> origin
        and last_at - started_at <= interval '{{ var("chain_max_hours") }} hours'
        and hops >= {{ var('chain_min_hops') }}
        and longest_hop <= interval '{{ var("chain_hop_hours") }} hours'
),

-- a chain inside a longer chain (or a cycle) is reported once, as the longer one
longest as (
    select c.*
    from chains as c
    where not exists (
        select 1 from chains as l where l.hops > c.hops and l.journal_ids @> c.journal_ids
    )
        and not exists (select 1 from cycles as y where y.journal_ids @> c.journal_ids)
),

scatter as (
    select
        e1.src as origin,
        e2.dst as beneficiary,
        e1.dst as intermediary,
        e1.effective_at as first_at,
        e2.effective_at as second_at,
        e1.journal_id as first_journal_id,
        e2.journal_id as second_journal_id,
        e1.amount_usd
    from edges as e1
    join edges as e2
        on e2.src = e1.dst
        and e2.dst <> e1.src
        and e2.effective_at > e1.effective_at
        and e2.effective_at <= e1.effective_at + interval '{{ var("cycle_hop_days") }} days'
        and e2.amount_usd >= {{ var('path_min_keep') }} * e1.amount_usd
        and e2.amount_usd <= {{ var('path_max_keep') }} * e1.amount_usd
    -- a platform paying out its sellers (a marketplace, `platform_payer_words`) is no origin: sellers who
    -- then buy stock from the same wholesaler are its trade, not a scatter
    where e1.src ~ '^C[0-9]+$' or not coalesce({{ has_word_of('e1.party_label', 'platform_payer_words') }}, false)
),

scatter_anchors as (
    select
        a.origin,
        a.beneficiary,
        a.first_journal_id as anchor_journal_id,
        a.first_at as anchor_at,
        max(s.second_at) as last_at
    from scatter as a
    join scatter as s
        on s.origin = a.origin
        and s.beneficiary = a.beneficiary
        and s.first_at >= a.first_at
        and s.second_at < a.first_at + interval '{{ var("scatter_gather_window_days") }} days'
    group by a.origin, a.beneficiary, a.first_journal_id, a.first_at
    having count(distinct s.intermediary) >= {{ var('scatter_gather_min_intermediaries') }}
),

scatter_bursts as (
    select origin, beneficiary, min(anchor_journal_id) as key, min(anchor_at) as first_at, max(last_at) as last_at
    from (
        {{ overlapping_as_one(
            'scatter_anchors', 'origin, beneficiary', 'anchor_at, anchor_journal_id', 'anchor_at', 'last_at'
        ) }}
    ) as numbered
    group by origin, beneficiary, episode
),

-- every reported path as (rule, key, journal ids, evidence)
found as (
    select
        'CYCLE'::text as rule,
        journal_ids[1]::text as key,
        journal_ids,
        jsonb_build_object(
            'path', {{ node_labels('nodes') }},
            'hops', hops,
            'sent_usd', trim_scale(first_usd::numeric)::text,
            'returned_usd', trim_scale(last_usd::numeric)::text,
            'days', round(extract(epoch from last_at - started_at) / 86400, 1)
        ) as evidence
    from cycles
    union all
    select
        'LAYERING_CHAIN',
        journal_ids[1]::text,
        journal_ids,
        jsonb_build_object(
            'path', {{ node_labels('nodes') }},
            'hops', hops,
            'first_usd', trim_scale(first_usd::numeric)::text,
            'last_usd', trim_scale(last_usd::numeric)::text,
            'kept_share', round(last_usd / first_usd, 4),
            'hours', round(extract(epoch from last_at - started_at) / 3600, 1)
        )
    from longest
    union all
    select
        'SCATTER_GATHER',
        b.origin || '>' || b.beneficiary || ':' || b.key,
        array(
            select distinct x from scatter as s
            cross join lateral unnest(array[s.first_journal_id, s.second_journal_id]) as x
            where s.origin = b.origin and s.beneficiary = b.beneficiary
                and s.first_at >= b.first_at and s.second_at <= b.last_at
            order by x
        ),
        jsonb_build_object(
            'origin', b.origin,
            'beneficiary', b.beneficiary,
            'intermediaries', (
                select to_jsonb(array_agg(distinct s.intermediary)) from scatter as s
                where s.origin = b.origin and s.beneficiary = b.beneficiary
                    and s.first_at >= b.first_at and s.second_at <= b.last_at
            ),
            'days', round(extract(epoch from b.last_at - b.first_at) / 86400, 1)
        )
    from scatter_bursts as b
),

parts as (
    select f.rule, f.key, f.evidence, e.*
    from found as f
    join {{ ref('int_transfer_edges') }} as e on e.journal_id = any(f.journal_ids)
),

alerts as (
    select
        p.rule,
        md5(p.rule || ':' || p.key) as alert_id,
        -- the subject: the first customer the money reached or left
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
        max(p.evidence::text)::jsonb || jsonb_build_object(
            'parties', to_jsonb(array_agg(distinct p.party_label))
        ) as details
    from parts as p
    group by p.rule, p.key
)

{{ alert_rows('alerts') }}
