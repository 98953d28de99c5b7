-- Structuring: cash deposits kept just under the CTR threshold, several within days, together above it.
-- A deposit qualifies when its USD equivalent is in [structuring_floor_usd, ctr_threshold_usd); a
-- customer's qualifying deposits form one episode while each follows the previous one within
-- `structuring_max_gap_days`; an episode of at least `structuring_min_deposits` deposits totalling at
-- least the CTR threshold raises one alert, dated on its last deposit.
with deposits as (
    select *
    from {{ ref('int_customer_movements') }}
    where is_cash and flow = 'IN' and journal_kind = 'TRANSFER'
        and amount_usd >= {{ var('structuring_floor_usd') }}
        and amount_usd < {{ var('ctr_threshold_usd') }}
),

marked as (
    select
        *,
        case
            when lag(effective_at) over (partition by customer_id order by effective_at, journal_id)
                >= effective_at - interval '{{ var("structuring_max_gap_days") }} days'
            then 0 else 1
        end as starts_episode
    from deposits
),

episodes as (
    select
        *,
        sum(starts_episode) over (partition by customer_id order by effective_at, journal_id) as episode
    from marked
),

alerts as (
    select
        customer_id,
        min(journal_id) as first_journal_id,
        min(effective_at) as first_at,
        max(effective_at) as last_at,
        count(*)::bigint as deposits,
        sum(amount_usd) as total_amount_usd,
        max(amount_usd) as largest_amount_usd,
        array_agg(distinct account_code order by account_code) as account_codes,
        array_agg(journal_id order by effective_at, journal_id) as journal_ids,
        array_agg(reference_id order by effective_at, journal_id) as reference_ids
    from episodes
    group by customer_id, episode
    having count(*) >= {{ var('structuring_min_deposits') }}
        and sum(amount_usd) >= {{ var('ctr_threshold_usd') }}
),

alert_rows as (
    select
        'STRUCTURING'::text as rule,
        md5('STRUCTURING:' || customer_id || ':' || first_journal_id) as alert_id,
        customer_id,
        first_at,
        last_at,
        total_amount_usd,
        account_codes,
        journal_ids,
        reference_ids,
        jsonb_build_object(
            'deposits', deposits, 'largest_amount_usd', trim_scale(largest_amount_usd::numeric)::text
        ) as details
    from alerts
)

{{ alert_rows('alert_rows') }}
