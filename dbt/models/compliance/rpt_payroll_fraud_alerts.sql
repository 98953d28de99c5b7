-- Payroll fraud: pay for employees who do not exist, collected by the one who created them (family
-- `payroll_fraud`).
--   GHOST_EMPLOYEE_PAYROLL (ACFE, "Occupational Fraud 2024: A Report to the Nations", payroll schemes and ghost
--       employees; FinCEN SAR narratives on embezzlement by payroll staff): within `ghost_window_days`, at least
--       `ghost_min_forwarders` customers paid by one employer each pass at least `ghost_pass_share` of a pay
--       credit, at least `ghost_min_forwards` times, to one customer the same employer pays (the collector): by P2P
--       to the collector's account or by ACH or wire to an account in the collector's name elsewhere, within
--       `ghost_pass_hours` of the pay; or by drawing at least `ghost_cash_pass_share` of it in cash within
--       `ghost_pass_hours` while the collector pays in cash of at least `ghost_cash_match_share` of what was drawn
--       within `ghost_cash_days` after it was first drawn. The pay passed on comes to at least `ghost_min_usd`. Everyone the employer pays is a colleague: colleagues share a lift or a flat and
--       pay each other a share of the rent, not their whole pay, pay after pay. An employer is an outside party
--       paying by ACH (by its name, whatever account it pays from) or a business customer paying by P2P, that pays
--       at least two of the bank's customers at least `ghost_min_pays` times each. The alert names the collector
--       first, then the colleagues who passed their pay on; its details give the employer, each colleague's way
--       of passing it on, and how many colleagues share the collector's address (a red flag of the ACFE report;
--       the address itself stays in ledger.customer_pii).
-- Windows slide over every pay passed on; overlapping ones are one alert.
with flows as not materialized (
    select * from {{ ref('int_customer_flows') }}
),

-- pay: a person's credit from an outside party by ACH (the employer known by its name) or from a business
-- customer by P2P
credits as (
    select
        f.customer_id,
        f.journal_id,
        f.reference_id,
        f.account_code,
        f.effective_at,
        f.amount_usd,
        case when f.channel = 'ACH' then 'N:' || {{ normalise_name('f.party_label') }} else f.party_key end
            as employer,
        f.party_label as employer_label
    from flows as f
    left join {{ ref('stg_ledger__customers') }} as e on f.channel = 'P2P' and f.party_key = 'C' || e.customer_id
    where f.flow = 'IN'
        and f.segment <> 'SMALL_BUSINESS'
        and (
            f.channel = 'ACH' and {{ is_outside_party('f.party_key') }} and f.party_label is not null
            and not {{ is_own_name_account('f') }}
            or f.channel = 'P2P' and e.segment = 'SMALL_BUSINESS'
        )
),

-- (employer, employee): paid at least `ghost_min_pays` times, by an employer that pays at least two customers so
staff as (
    select customer_id, employer
    from (
        select customer_id, employer, count(*) over (partition by employer) as employees
        from credits
        group by customer_id, employer
        having count(*) >= {{ var('ghost_min_pays') }}
    ) as s
    where employees >= 2
),

pay as (
    select c.*
    from credits as c
    join staff as s using (customer_id, employer)
),

-- the colleagues' names as word lists, compared inside the database (never written out)
staff_names as (
    select
        s.customer_id,
        s.employer,
        array(select distinct w from unnest({{ name_words('p.full_name') }}) as w where length(w) > 1) as words
    from staff as s
    join {{ source('ledger', 'customer_pii') }} as p using (customer_id)
),

-- pay drawn in cash within `ghost_pass_hours` (at least `ghost_cash_pass_share` of it), and a colleague paying in
-- cash of at least `ghost_cash_match_share` of what was drawn within `ghost_cash_days` after it was first drawn (one
-- deposit may answer two colleagues' cash: the window still asks for two colleagues each passing pay twice)
cash_passed as (
    select p.customer_id, p.journal_id, p.amount_usd, p.employer, p.employer_label, p.effective_at,
        p.reference_id, p.account_code, s.customer_id as collector_id, w.drawn_journal_ids, w.drawn_reference_ids,
        w.drawn_amounts_usd, d.paid_in_accounts,
        d.paid_in_journal_ids, d.paid_in_reference_ids
    from pay as p
    cross join lateral (
        select
            sum(o.amount_usd) as drawn_usd,
            min(o.effective_at) as first_drawn_at,
            array_agg(o.journal_id order by o.effective_at, o.journal_id) as drawn_journal_ids,
            array_agg(o.reference_id order by o.effective_at, o.journal_id) as drawn_reference_ids,
            array_agg(o.amount_usd order by o.effective_at, o.journal_id) as drawn_amounts_usd
        from flows as o
        where o.customer_id = p.customer_id
            and o.flow = 'OUT'
            and o.channel = 'CASH_WITHDRAWAL'
            and o.effective_at > p.effective_at
            and o.effective_at <= p.effective_at + interval '{{ var("ghost_pass_hours") }} hours'
    ) as w
    join staff as s
        on s.employer = p.employer
        and s.customer_id <> p.customer_id
    cross join lateral (
        select
            array_agg(i.journal_id order by i.effective_at, i.journal_id) as paid_in_journal_ids,
            array_agg(i.reference_id order by i.effective_at, i.journal_id) as paid_in_reference_ids,
            array_agg(i.account_code order by i.effective_at, i.journal_id) as paid_in_accounts
        from flows as i
        where i.customer_id = s.customer_id
            and i.flow = 'IN'
            and i.channel = 'CASH_DEPOSIT'
            and i.effective_at > w.first_drawn_at
            and i.effective_at <= w.first_drawn_at + interval '{{ var("ghost_cash_days") }} days'
        having sum(i.amount_usd) >= {{ var('ghost_cash_match_share') }} * w.drawn_usd
    ) as d
    where w.drawn_usd >= {{ var('ghost_cash_pass_share') }} * p.amount_usd
),

-- each pay and the colleague who got it: by P2P, by ACH or wire to an account of the colleague's name, or by
-- cash drawn and paid in
passed as (
    select p.customer_id, p.journal_id, p.reference_id, p.account_code, p.amount_usd, p.employer, p.employer_label,
        p.effective_at, s.customer_id as collector_id, 'P2P'::text as way, o.journal_id as out_journal_id,
        o.reference_id as out_reference_id, o.amount_usd as out_usd,
        -- the collector's account it reached
        o.other_account_code as out_account
    from pay as p
    join flows as o
        on o.customer_id = p.customer_id
        and o.flow = 'OUT'
        and o.channel = 'P2P'
        and o.effective_at > p.effective_at
        and o.effective_at <= p.effective_at + interval '{{ var("ghost_pass_hours") }} hours'
    join staff as s
        on o.party_key = 'C' || s.customer_id
        and s.employer = p.employer
        and s.customer_id <> p.customer_id
    union all
    select p.customer_id, p.journal_id, p.reference_id, p.account_code, p.amount_usd, p.employer, p.employer_label,
        p.effective_at, n.customer_id, o.channel, o.journal_id, o.reference_id, o.amount_usd, o.account_code
    from pay as p
    join flows as o
        on o.customer_id = p.customer_id
        and o.flow = 'OUT'
        and o.channel in ('ACH', 'WIRE')
        and {{ is_outside_party('o.party_key') }}
        and o.effective_at > p.effective_at
        and o.effective_at <= p.effective_at + interval '{{ var("ghost_pass_hours") }} hours'
    cross join lateral (
        select array(select distinct w from unnest({{ name_words('o.party_label') }}) as w where length(w) > 1)
            as words
    ) as l
    join staff_names as n
        on n.employer = p.employer
        and n.customer_id <> p.customer_id
        and cardinality(n.words) >= 2
        and n.words <@ l.words
        and cardinality(l.words) <= cardinality(n.words) + 1
    union all
    -- cash: what was drawn (counted), and the collector's deposits that match it (evidence, counted as nothing)
    select c.customer_id, c.journal_id, c.reference_id, c.account_code, c.amount_usd, c.employer, c.employer_label,
        c.effective_at, c.collector_id, 'CASH', u.journal_id, u.reference_id, u.amount_usd, null
    from cash_passed as c
    cross join lateral unnest(c.drawn_journal_ids, c.drawn_reference_ids, c.drawn_amounts_usd)
        as u(journal_id, reference_id, amount_usd)
    union all
    select c.customer_id, c.journal_id, c.reference_id, c.account_code, c.amount_usd, c.employer, c.employer_label,
        c.effective_at, c.collector_id, 'CASH', u.journal_id, u.reference_id, 0, u.account_code
    from cash_passed as c
    cross join lateral unnest(c.paid_in_journal_ids, c.paid_in_reference_ids, c.paid_in_accounts)
        as u(journal_id, reference_id, account_code)
),

-- pay passed on: at least `ghost_pass_share` of it reached the collector
forwards as (
    select
        customer_id,
        journal_id,
        min(reference_id) as reference_id,
        min(account_code) as account_code,
        collector_id,
        employer,
        min(employer_label) as employer_label,
        min(effective_at) as effective_at,
        min(amount_usd) as pay_usd,
        sum(out_usd) as passed_usd,
        array_agg(distinct way) as ways,
        array_agg(out_journal_id order by out_journal_id) as out_journal_ids,
        array_agg(out_reference_id order by out_journal_id) as out_reference_ids,
        coalesce(array_agg(distinct out_account) filter (where out_account is not null), '{}') as out_accounts
    from passed
    group by customer_id, journal_id, collector_id, employer
    -- drawn in cash: the share of `ghost_cash_pass_share`, checked in cash_passed
    having sum(out_usd) >= {{ var('ghost_pass_share') }} * min(amount_usd) or bool_or(way = 'CASH')
),

windows as (
    select
        a.collector_id,
        a.employer,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        min(w.effective_at) as first_at,
        sum(w.passed_usd) as passed_usd,
        array_agg(distinct w.customer_id) as forwarders
    from forwards as a
    join forwards as w
        on w.collector_id = a.collector_id
        and w.employer = a.employer
        and w.effective_at > a.effective_at - interval '{{ var("ghost_window_days") }} days'
        and w.effective_at <= a.effective_at
        -- a colleague counts once it has passed on `ghost_min_forwards` pays in the window
        and (
            select count(*)
            from forwards as x
            where x.customer_id = w.customer_id
                and x.collector_id = a.collector_id
                and x.employer = a.employer
                and x.effective_at > a.effective_at - interval '{{ var("ghost_window_days") }} days'
                and x.effective_at <= a.effective_at
        ) >= {{ var('ghost_min_forwards') }}
    group by a.collector_id, a.employer, a.journal_id, a.effective_at
    having count(distinct w.customer_id) >= {{ var('ghost_min_forwarders') }}
        and sum(w.passed_usd) >= {{ var('ghost_min_usd') }}
),

episodes as (
    {{ overlapping_as_one('windows', 'collector_id, employer', 'anchor_at, anchor_journal_id', 'first_at', 'anchor_at') }}
),

-- the episode's window with the most colleagues (then the latest) speaks for it
schemes as (
    select distinct on (collector_id, employer, episode) *
    from episodes
    order by collector_id, employer, episode, cardinality(forwarders) desc, anchor_at desc, anchor_journal_id
),

ways as (
    select
        s.collector_id,
        s.employer,
        s.episode,
        jsonb_object_agg(c.customer_ref, w.ways) as ways
    from schemes as s
    cross join lateral (
        select f.customer_id, array_agg(distinct x order by x) as ways
        from forwards as f
        cross join lateral unnest(f.ways) as x
        where f.collector_id = s.collector_id
            and f.employer = s.employer
            and f.customer_id = any(s.forwarders)
            and f.effective_at >= s.first_at
            and f.effective_at <= s.anchor_at
        group by f.customer_id
    ) as w
    join {{ ref('stg_ledger__customers') }} as c on c.customer_id = w.customer_id
    group by s.collector_id, s.employer, s.episode
),

payroll_fraud as (
    select
        'GHOST_EMPLOYEE_PAYROLL'::text as rule,
        md5('GHOST_EMPLOYEE_PAYROLL:' || s.collector_id || ':' || s.employer || ':' || s.anchor_journal_id)
            as alert_id,
        s.collector_id as customer_id,
        array[s.collector_id] || array(select f from unnest(s.forwarders) as f order by f) as customer_ids,
        s.first_at,
        s.anchor_at as last_at,
        s.passed_usd as total_amount_usd,
        e.account_codes,
        e.journal_ids,
        e.reference_ids,
        jsonb_build_object(
            'employer', (
                select min(p.employer_label) from pay as p where p.employer = s.employer
            ),
            'colleagues', cardinality(s.forwarders),
            'passed_on_usd', trim_scale(round(s.passed_usd::numeric, 2))::text,
            'ways', w.ways,
            'colleagues_at_collectors_address', (
                select count(*)
                from unnest(s.forwarders) as f(customer_id)
                join {{ source('ledger', 'customer_pii') }} as a on a.customer_id = f.customer_id
                join {{ source('ledger', 'customer_pii') }} as b on b.customer_id = s.collector_id
                where a.address_line is not null
                    and lower(a.address_line) = lower(b.address_line)
                    and a.postal_code is not distinct from b.postal_code
            ),
            'days', round(extract(epoch from s.anchor_at - s.first_at) / 86400, 1)
        ) as details
    from schemes as s
    join ways as w using (collector_id, employer, episode)
    -- each pay passed on in the scheme's window and what carried it: the accounts, then each journal once in time
    -- order
    cross join lateral (
        select {{ episode_evidence('forwards', "m.collector_id = s.collector_id and m.employer = s.employer"
            ~ " and m.customer_id = any(s.forwarders) and m.effective_at >= s.first_at and m.effective_at <= s.anchor_at",
            'account_code', 'journal_id', 'reference_id', 'effective_at') }}
    ) as e
)

{{ alert_rows('payroll_fraud') }}
