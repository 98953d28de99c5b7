-- DORMANT_REACTIVATION: a customer with no customer-initiated movement (transfers, cash, conversions, card
-- payments; fees, interest and the platform's bookkeeping do not count) for at least `dormant_days`,
-- counted from its last such movement (its very first, the opening deposit, is not one), comes back, and within `dormant_window_days` of coming back moves
-- unusual volume in either direction:
--   inflow of at least `dormant_min_usd` of which at least `dormant_outbound_share` leaves again, or
--   outflow of at least `dormant_min_usd` draining at least `dormant_drain_share` of what it held, in at
--   least `dormant_min_outflows` payments (one large purchase out of savings is not a reactivation), or in
--   one payment to an account abroad (another country than the customer's).
-- Salary from an employer and rent to a letting agent (common parties) are ordinary life, not unusual
-- volume: they do not count.
with movements as (
    select customer_id, effective_at as active_at
    from {{ ref('int_customer_movements') }}
    where is_customer_initiated and journal_kind in ('TRANSFER', 'CONVERSION')
    union all
    select customer_id, authorized_at
    from {{ ref('int_card_authorisations') }}
),

-- a customer's first movement is its account's opening deposit: the start of a relationship, not
-- activity a dormancy could be counted from (an account funded at opening and first used months later is
-- new, not dormant: scenario actors and new customers alike)
activity as (
    select customer_id, active_at
    from (
        select *, row_number() over (partition by customer_id order by active_at) as n
        from movements
    ) as numbered
    where n > 1
),

gaps as (
    select
        customer_id,
        active_at as reactivated_at,
        lag(active_at) over (partition by customer_id order by active_at) as previous_at
    from activity
),

reactivations as (
    select distinct customer_id, reactivated_at, previous_at
    from gaps
    -- counted in calendar days, as a person reads the dates (a silence from 19 December to 17 February is
    -- 60 days whatever the hours)
    where {{ business_day('reactivated_at') }} - {{ business_day('previous_at') }} >= {{ var('dormant_days') }}
),

windowed as (
    select
        r.customer_id,
        r.reactivated_at,
        r.previous_at,
        coalesce(sum(f.amount_usd) filter (where f.flow = 'IN'), 0) as inbound_usd,
        coalesce(sum(f.amount_usd) filter (where f.flow = 'OUT'), 0) as outbound_usd,
        count(*) filter (where f.flow = 'OUT') as outflows,
        count(distinct f.party_key) filter (where f.flow = 'OUT') as recipients,
        max(f.effective_at) as last_at,
        array_agg(distinct f.account_code order by f.account_code) as account_codes,
        {{ evidence_ids('f') }},
        array_agg(distinct f.party_label) as parties,
        coalesce(bool_or(f.flow = 'OUT' and f.party_country <> c.country), false) as pays_abroad
    from reactivations as r
    join {{ ref('int_customer_flows') }} as f
        on f.customer_id = r.customer_id
        and not f.is_common_party
        and f.effective_at >= r.reactivated_at
        and f.effective_at < r.reactivated_at + interval '{{ var("dormant_window_days") }} days'
    left join {{ ref('stg_ledger__customers') }} as c on c.customer_id = r.customer_id
    group by r.customer_id, r.reactivated_at, r.previous_at
),

judged as (
    select
        w.*,
        {{ customer_balance_usd('w.customer_id', business_day('w.reactivated_at') ~ ' - 1') }} as balance_before_usd
    from windowed as w
),

alerts as (
    select
        'DORMANT_REACTIVATION'::text as rule,
        md5('DORMANT_REACTIVATION:' || customer_id || ':' || reactivated_at) as alert_id,
        customer_id,
        array[customer_id] as customer_ids,
        reactivated_at as first_at,
        last_at,
        inbound_usd + outbound_usd as total_amount_usd,
        account_codes,
        journal_ids,
        reference_ids,
        jsonb_build_object(
            'dormant_days', {{ business_day('reactivated_at') }} - {{ business_day('previous_at') }},
            'last_activity_before', previous_at,
            'inbound_usd', trim_scale(inbound_usd::numeric)::text,
            'outbound_usd', trim_scale(outbound_usd::numeric)::text,
            'balance_before_usd', trim_scale(round(balance_before_usd::numeric, 2))::text,
            'outflows', outflows,
            'pays_abroad', pays_abroad,
            'parties', to_jsonb(parties)
        ) as details
    from judged
    where (
            inbound_usd >= {{ var('dormant_min_usd') }}
            and outbound_usd >= {{ var('dormant_outbound_share') }} * inbound_usd
        )
        or (
            outbound_usd >= {{ var('dormant_min_usd') }}
            and outbound_usd >= {{ var('dormant_drain_share') }} * greatest(balance_before_usd, 0)
            and (outflows >= {{ var('dormant_min_outflows') }} or pays_abroad)
        )
)

{{ alert_rows('alerts') }}
