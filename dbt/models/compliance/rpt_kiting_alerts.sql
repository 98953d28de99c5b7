-- Kiting: the float between banks drawn on as if it were money (family `kiting`).
--   KITING (FFIEC IT Examination Handbook, "Retail Payment Systems": ACH and cheque kiting; FFIEC BSA/AML manual,
--       appendix F: "funds transferred between accounts at several banks, in rising amounts, the balances low"):
--       within `kiting_window_days`, a customer receives at least `kiting_min_cycles` credits by ACH or wire from
--       accounts of its own name at other banks (int_own_name_parties, whenever they first paid in), each sent on
--       within `kiting_pass_hours`, at least `kiting_pass_share` of it, by ACH or wire to an account of its own
--       name (the same or another), and the credits passed on come to at least `kiting_min_usd`. Each credit is
--       drawn before the one it pays for has cleared; the amounts grow each round, until a last credit is spent
--       and the kite collapses. Savings moved home now and then, or a brokerage topped up from here, do not come
--       back out within hours, round after round. The alert gives the number of own accounts used, the credits'
--       growth (the largest over the first) and the bust: the first own-account credit after the window's last
--       that was not sent on (within `kiting_window_days`), and what the customer paid to anyone else or drew in
--       cash in the `kiting_pass_hours` after it.
-- Windows slide over every credit passed on; overlapping ones are one alert.
{%- set window_credits = 'c.customer_id = k.customer_id and c.effective_at >= k.first_at and c.effective_at <= k.anchor_at' %}
with own_flows as (
    select f.*
    from {{ ref('int_customer_flows') }} as f
    where f.channel in ('ACH', 'WIRE')
        and {{ is_outside_party('f.party_key') }}
        and {{ is_own_name_account('f') }}
),

-- each payment to an own account, given to the latest own-account credit before it within `kiting_pass_hours`
-- (one payment pays on one credit: Monday's and Tuesday's credits are not both sent on by Tuesday's payment)
passes as (
    select distinct on (o.journal_id)
        c.journal_id as credit_journal_id, o.journal_id, o.reference_id, o.amount_usd, o.effective_at, o.party_key,
        o.account_code
    from own_flows as o
    join own_flows as c
        on c.customer_id = o.customer_id
        and c.flow = 'IN'
        and c.effective_at < o.effective_at
        and c.effective_at >= o.effective_at - interval '{{ var("kiting_pass_hours") }} hours'
    where o.flow = 'OUT'
    order by o.journal_id, c.effective_at desc, c.journal_id desc
),

-- each credit from an own account, with what it paid on to own accounts
credits as (
    select
        c.customer_id,
        c.journal_id,
        c.reference_id,
        c.account_code,
        c.effective_at,
        c.amount_usd,
        c.party_key,
        sum(p.amount_usd) as passed_usd,
        array_agg(p.journal_id order by p.effective_at, p.journal_id) as out_journal_ids,
        array_agg(p.reference_id order by p.effective_at, p.journal_id) as out_reference_ids,
        array_agg(distinct p.party_key) as out_party_keys,
        array_agg(distinct p.account_code) as out_accounts
    from own_flows as c
    join passes as p on p.credit_journal_id = c.journal_id
    where c.flow = 'IN'
    group by c.customer_id, c.journal_id, c.reference_id, c.account_code, c.effective_at, c.amount_usd, c.party_key
    having sum(p.amount_usd) >= {{ var('kiting_pass_share') }} * c.amount_usd
),

windows as (
    select
        a.customer_id,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        count(*) as cycles,
        sum(w.amount_usd) as credited_usd,
        -- each payment sent on is one credit's (passes), so the window's sum counts it once
        sum(w.passed_usd) as passed_usd,
        min(w.effective_at) as first_at,
        (array_agg(w.amount_usd order by w.effective_at, w.journal_id))[1] as first_credit_usd,
        max(w.amount_usd) as largest_credit_usd
    from credits as a
    join credits as w
        on w.customer_id = a.customer_id
        and w.effective_at > a.effective_at - interval '{{ var("kiting_window_days") }} days'
        and w.effective_at <= a.effective_at
    group by a.customer_id, a.journal_id, a.effective_at
    having count(*) >= {{ var('kiting_min_cycles') }}
        and sum(w.amount_usd) >= {{ var('kiting_min_usd') }}
),

episodes as (
    {{ overlapping_as_one('windows', 'customer_id', 'anchor_at, anchor_journal_id', 'first_at', 'anchor_at') }}
),

-- the episode's window with the most rounds (then the latest) speaks for it
kites as (
    select distinct on (customer_id, episode) *
    from episodes
    order by customer_id, episode, cycles desc, anchor_at desc, anchor_journal_id
),

-- the bust: the first credit from an own account after the window's last that was not sent on, and what left
-- for anyone else, or in cash, in the `kiting_pass_hours` after it
bust as (
    select
        k.customer_id, k.episode, l.effective_at as bust_at, l.amount_usd as bust_credit_usd, s.spent_usd, s.channels,
        array[l.journal_id] || coalesce(s.journal_ids, '{}') as journal_ids,
        array[l.reference_id] || coalesce(s.reference_ids, '{}') as reference_ids
    from kites as k
    cross join lateral (
        select c.journal_id, c.reference_id, c.effective_at, c.amount_usd
        from own_flows as c
        where c.customer_id = k.customer_id
            and c.flow = 'IN'
            and c.effective_at > k.anchor_at
            and c.effective_at <= k.anchor_at + interval '{{ var("kiting_window_days") }} days'
            and not exists (select 1 from credits as p where p.journal_id = c.journal_id)
        order by c.effective_at
        limit 1
    ) as l
    cross join lateral (
        select
            sum(f.amount_usd) as spent_usd,
            array_agg(distinct f.channel) as channels,
            array_agg(f.journal_id order by f.effective_at, f.journal_id) as journal_ids,
            array_agg(f.reference_id order by f.effective_at, f.journal_id) as reference_ids
        from {{ ref('int_customer_flows') }} as f
        where f.customer_id = k.customer_id
            and f.flow = 'OUT'
            and f.effective_at >= l.effective_at
            and f.effective_at <= l.effective_at + interval '{{ var("kiting_pass_hours") }} hours'
            and not {{ is_own_name_account('f') }}
    ) as s
),

kiting as (
    select
        'KITING'::text as rule,
        md5('KITING:' || k.customer_id || ':' || k.anchor_journal_id) as alert_id,
        k.customer_id,
        array[k.customer_id] as customer_ids,
        k.first_at,
        k.anchor_at as last_at,
        k.credited_usd as total_amount_usd,
        e.account_codes,
        -- the rounds, then the bust: its credit and what it paid for
        e.journal_ids || coalesce(b.journal_ids, '{}') as journal_ids,
        e.reference_ids || coalesce(b.reference_ids, '{}') as reference_ids,
        jsonb_build_object(
            'cycles', k.cycles,
            'credited_usd', trim_scale(round(k.credited_usd::numeric, 2))::text,
            'passed_on_usd', trim_scale(round(k.passed_usd::numeric, 2))::text,
            'first_credit_usd', trim_scale(round(k.first_credit_usd::numeric, 2))::text,
            'largest_credit_usd', trim_scale(round(k.largest_credit_usd::numeric, 2))::text,
            'growth', round((k.largest_credit_usd / nullif(k.first_credit_usd, 0))::numeric, 2),
            'own_accounts', (
                select count(distinct a)
                from credits as c
                cross join lateral unnest(c.out_party_keys || c.party_key) as a
                where {{ window_credits }}
            ),
            'bust_at', b.bust_at,
            'bust_credit_usd', trim_scale(round(b.bust_credit_usd::numeric, 2))::text,
            'spent_after_bust_usd', trim_scale(round(coalesce(b.spent_usd, 0)::numeric, 2))::text,
            'spent_after_bust_channels', coalesce(to_jsonb(b.channels), '[]'::jsonb),
            'days', round(extract(epoch from k.anchor_at - k.first_at) / 86400, 1)
        ) as details
    from kites as k
    -- the window's credits, each with what it paid on: the accounts, then each journal once in time order
    cross join lateral (
        select {{ episode_evidence('credits', window_credits.replace('c.', 'm.'), 'account_code', 'journal_id',
            'reference_id', 'effective_at') }}
    ) as e
    left join bust as b using (customer_id, episode)
)

{{ alert_rows('kiting') }}
