-- CROSS_CUSTOMER_AGGREGATION (smurfing): several customers, each below the reporting thresholds, pass
-- money on to one beneficiary (another customer, or one outside party) within days. Within
-- `aggregation_window_days`, payments (wire, ACH, P2P; each under `ctr_threshold_usd`) reach one
-- beneficiary from at least `aggregation_min_senders` distinct customers, together at least
-- `aggregation_min_usd`, and at least `aggregation_min_passthrough_senders` of those customers (and at least
-- `aggregation_min_passthrough_share` of them: thirty tenants paying a property manager, three of them
-- out of a first salary, are a rent roll) passed money through: what they received in the
-- `aggregation_funding_days` before paying (cash they paid in, transfers from anyone but the beneficiary, an
-- employer or a biller) covers at least
-- `aggregation_forward_share` of the payment, and the payment is at least that share of what they received.
-- Tenants paying a landlord out of their salaries forward a fraction of what they earn; smurfs forward
-- nearly all of what they were handed. Beneficiaries many customers pay week after week (billers) are left
-- out, and so are small businesses' ACH payments (several shops paying one wholesaler from their takings)
-- and beneficiaries whose declared occupation is to collect from many (`fan_in_collector_occupation_words`:
-- tenants paying their landlord). A window in which at least `aggregation_min_senders` of the senders had paid
-- the same beneficiary between `aggregation_recurring_min_days` and `aggregation_recurring_max_days` before
-- is an arrangement that recurs (siblings sharing a parent's care fees every month, flatmates the rent): its
-- first month is judged, the months after it are not alerted again. Windows slide over every payment;
-- overlapping ones are one alert.
with flows as (
    select * from {{ ref('int_customer_flows') }}
),

payments as (
    select * from flows
    where flow = 'OUT'
        and channel in ('WIRE', 'ACH', 'P2P')
        and party_key not in ('CASH', 'CRYPTO')
        and not is_common_party
        and amount_usd < {{ var('ctr_threshold_usd') }}
        -- a small business paying a supplier by ACH is trade
        and not (segment = 'SMALL_BUSINESS' and channel = 'ACH')
),

funded as (
    select
        p.journal_id,
        coalesce(sum(i.amount_usd), 0) as funding_usd,
        array_agg(i.journal_id order by i.effective_at, i.journal_id) filter (where i.journal_id is not null)
            as funding_journal_ids,
        array_agg(i.reference_id order by i.effective_at, i.journal_id) filter (where i.journal_id is not null)
            as funding_reference_ids
    from payments as p
    left join flows as i
        on i.customer_id = p.customer_id
        and i.flow = 'IN'
        and i.party_key <> p.party_key
        and not i.is_common_party
        and i.effective_at <= p.effective_at
        and i.effective_at > p.effective_at - interval '{{ var("aggregation_funding_days") }} days'
    group by p.journal_id
),

judged as (
    select
        p.*,
        f.funding_usd,
        f.funding_usd >= {{ var('aggregation_forward_share') }} * p.amount_usd
            and p.amount_usd >= {{ var('aggregation_forward_share') }} * f.funding_usd as is_passthrough,
        exists (
            select 1
            from payments as before
            where before.customer_id = p.customer_id
                and before.party_key = p.party_key
                and before.effective_at
                    <= p.effective_at - interval '{{ var("aggregation_recurring_min_days") }} days'
                and before.effective_at
                    >= p.effective_at - interval '{{ var("aggregation_recurring_max_days") }} days'
        ) as paid_a_month_before,
        f.funding_journal_ids,
        f.funding_reference_ids
    from payments as p
    join funded as f using (journal_id)
),

anchors as (
    select
        a.party_key as beneficiary,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        count(distinct w.customer_id) as senders,
        count(distinct w.customer_id) filter (where w.is_passthrough) as passthrough_senders,
        sum(w.amount_usd) as total_usd,
        max(w.effective_at) as last_at
    from judged as a
    join judged as w
        on w.party_key = a.party_key
        and w.effective_at >= a.effective_at
        and w.effective_at < a.effective_at + interval '{{ var("aggregation_window_days") }} days'
    left join {{ ref('stg_ledger__customers') }} as b
        on a.party_key = 'C' || b.customer_id
    where not coalesce({{ has_word_of('b.occupation', 'fan_in_collector_occupation_words') }}, false)
    group by a.party_key, a.journal_id, a.effective_at
    having count(distinct w.customer_id) >= {{ var('aggregation_min_senders') }}
        and count(distinct w.customer_id) filter (where w.is_passthrough)
            >= {{ var('aggregation_min_passthrough_senders') }}
        and count(distinct w.customer_id) filter (where w.is_passthrough)
            >= {{ var('aggregation_min_passthrough_share') }} * count(distinct w.customer_id)
        and sum(w.amount_usd) >= {{ var('aggregation_min_usd') }}
        and count(distinct w.customer_id) filter (where w.paid_a_month_before) < {{ var('aggregation_min_senders') }}
),

bursts as (
    {{ overlapping_as_one('anchors', 'beneficiary', 'anchor_at, anchor_journal_id', 'anchor_at', 'last_at') }}
),

episodes as (
    select beneficiary, episode, min(anchor_at) as first_at, max(last_at) as last_at, min(anchor_journal_id) as key
    from bursts
    group by beneficiary, episode
),

members as (
    select
        e.beneficiary,
        e.key,
        w.*
    from episodes as e
    join judged as w
        on w.party_key = e.beneficiary
        and w.effective_at >= e.first_at
        and w.effective_at <= e.last_at
),

evidence as (
    select
        beneficiary, key, customer_id, account_code, journal_id, reference_id, effective_at, amount_usd,
        party_label, party_key, is_passthrough, true as is_payment
    from members
    union all
    -- what the pass-through senders received just before paying (cash paid in, transfers)
    select
        m.beneficiary, m.key, m.customer_id, null, f.journal_id, f.reference_id, null, null, null, null, null, false
    from members as m
    cross join lateral unnest(m.funding_journal_ids, m.funding_reference_ids) as f(journal_id, reference_id)
    where m.is_passthrough
),

alerts as (
    select
        'CROSS_CUSTOMER_AGGREGATION'::text as rule,
        md5('CROSS_CUSTOMER_AGGREGATION:' || e.beneficiary || ':' || e.key) as alert_id,
        -- the subject: the beneficiary when it is a customer, else the largest sender
        coalesce(
            case when e.beneficiary like 'C%' then substr(e.beneficiary, 2)::bigint end,
            (array_agg(e.customer_id order by e.amount_usd desc nulls last, e.customer_id))[1]
        ) as customer_id,
        array(
            select distinct x from unnest(
                array_remove(array[case when e.beneficiary like 'C%' then substr(e.beneficiary, 2)::bigint end], null)
                || array_agg(e.customer_id)
            ) as x
        ) as customer_ids,
        min(e.effective_at) as first_at,
        max(e.effective_at) as last_at,
        sum(e.amount_usd) as total_amount_usd,
        array_agg(distinct e.account_code order by e.account_code) filter (where e.account_code is not null)
            as account_codes,
        array_agg(distinct e.journal_id) as journal_ids,
        array_agg(distinct e.reference_id) as reference_ids,
        jsonb_build_object(
            'beneficiary', max(e.party_label),
            'beneficiary_key', e.beneficiary,
            'senders', count(distinct e.customer_id) filter (where e.is_payment),
            'passthrough_senders', count(distinct e.customer_id) filter (where e.is_passthrough),
            'payments', count(*) filter (where e.is_payment),
            'largest_payment_usd', trim_scale(max(e.amount_usd)::numeric)::text,
            'days', round(extract(epoch from max(e.effective_at) - min(e.effective_at)) / 86400, 1)
        ) as details
    from evidence as e
    group by e.beneficiary, e.key
)

{{ alert_rows('alerts') }}
