-- Structuring: cash kept under the CTR threshold, several transactions within days (at any branches or
-- ATMs), together above it. Deposits and withdrawals are judged apart. A sliding window of
-- `structuring_window_days` ends at every cash transaction; the window qualifies when it holds at least
-- `structuring_min_transactions` transactions each under `ctr_threshold_usd` that together exceed it,
-- counting for
--   retail customers (RETAIL, PREMIUM, STUDENT): transactions of at least `structuring_floor_usd`;
--   small businesses, whose takings are cash, with at least `structuring_min_history_days` of cash history
--     (within `structuring_lookback_days`, cash on at least `structuring_min_history_cash_days` days of it): transactions of at least `structuring_floor_usd` when the window
--     holds `structuring_business_baseline_multiple` times the business's usual cash per window and, on
--     the days it banked cash, `structuring_business_day_multiple` times its usual cash per such day;
--   small businesses without that history: at least `structuring_business_min_transactions` transactions of
--     at least `structuring_floor_usd`, or two on one business day, spread over at least
--     `structuring_business_min_locations` branches or ATMs (a shop banks its takings at its own; two
--     deposits days apart are a week's banking, two on one day are the day's cash split), when cash is at least
--     `business_cash_min_share` of what it received (or paid, for withdrawals) over the `business_cash_lookback_days`
--     to the window's end (a car dealer funded by lenders banks its few cash down payments wherever it is that day),
--     unless the declared occupation is a cash trade (`cash_trade_occupation_words`: a laundromat, a bodega,
--     a food truck), whose daily takings are what it declared it would bank, at whichever nearby branch:
--     such a business, until it has the history, is judged on "just under" cash alone (below);
--   anyone else: transactions "just under" the threshold (at least `structuring_business_floor_usd`),
--     heaped there: at least `structuring_just_under_share` of the window's transactions, and for a small
--     business at least `structuring_business_min_just_under` of them and no cash at or over the threshold
--     in its lookback either (a business whose takings are reported some days hides nothing; takings spread
--     over every amount are not kept under anything), and none in the window at or over the threshold (a
--     business whose takings cross it in the same days is reported anyway and avoids nothing).
-- Overlapping qualifying windows of a customer are one episode: one alert, naming every transaction.
with cash as (
    select *
    from {{ ref('int_customer_flows') }}
    where channel in ('CASH_DEPOSIT', 'CASH_WITHDRAWAL')
        and amount_usd < {{ var('ctr_threshold_usd') }}
        and amount_usd >= {{ var('structuring_floor_usd') }}
),

windows as (
    select
        a.customer_id,
        a.flow,
        a.segment,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        count(*) as transactions,
        count(distinct w.location) as locations,
        count(distinct w.business_date) as cash_days,
        sum(w.amount_usd) as total_usd,
        count(*) filter (where w.amount_usd >= {{ var('structuring_business_floor_usd') }}) as just_under,
        coalesce(sum(w.amount_usd) filter (
            where w.amount_usd >= {{ var('structuring_business_floor_usd') }}), 0) as just_under_usd,
        (
            select count(*)
            from {{ ref('int_customer_flows') }} as o
            where o.customer_id = a.customer_id
                and o.flow = a.flow
                and o.channel in ('CASH_DEPOSIT', 'CASH_WITHDRAWAL')
                and o.amount_usd >= {{ var('ctr_threshold_usd') }}
                -- a business that files CTRs on its takings is judged over its lookback, not the window
                and o.effective_at > a.effective_at - case
                    when a.segment = 'SMALL_BUSINESS' then interval '{{ var("structuring_lookback_days") }} days'
                    else interval '{{ var("structuring_window_days") }} days'
                end
                and o.effective_at <= a.effective_at
        ) as over_threshold
    from cash as a
    join cash as w
        on w.customer_id = a.customer_id
        and w.flow = a.flow
        and w.effective_at > a.effective_at - interval '{{ var("structuring_window_days") }} days'
        and w.effective_at <= a.effective_at
    group by a.customer_id, a.flow, a.segment, a.journal_id, a.effective_at
),

-- a small business's cash history before each window: how long it is, its cash and the days it banked
-- cash (one pass over the history)
history as (
    select
        w.*,
        -- the history ends where the window starts: measured to the anchor, a young business's usual
        -- takings per window were spread over days that are the window's own, and looked smaller
        extract(epoch from w.anchor_at - interval '{{ var("structuring_window_days") }} days' - h.first_at)
            / 86400 as history_days,
        h.cash_usd as history_usd,
        h.cash_days as history_cash_days,
        {{ cash_share('w.customer_id', 'w.flow', 'w.anchor_at') }} as cash_share
    from windows as w
    cross join lateral (
        select
            min(o.effective_at) as first_at,
            sum(o.amount_usd) as cash_usd,
            count(distinct o.business_date) as cash_days
        from {{ ref('int_customer_flows') }} as o
        where o.customer_id = w.customer_id
            and o.flow = w.flow
            and o.channel in ('CASH_DEPOSIT', 'CASH_WITHDRAWAL')
            and o.effective_at <= w.anchor_at - interval '{{ var("structuring_window_days") }} days'
            and o.effective_at > w.anchor_at
                - interval '{{ var("structuring_window_days") }} days'
                - interval '{{ var("structuring_lookback_days") }} days'
    ) as h
    where w.segment = 'SMALL_BUSINESS'
    union all
    select w.*, null, null, null, null
    from windows as w
    where w.segment <> 'SMALL_BUSINESS'
),

cash_trades as (
    select customer_id
    from {{ ref('stg_ledger__customers') }}
    where segment = 'SMALL_BUSINESS'
        and coalesce({{ has_word_of('occupation', 'cash_trade_occupation_words') }}, false)
),

judged as (
    select
        w.*,
        case
            when w.segment <> 'SMALL_BUSINESS'
                and w.transactions >= {{ var('structuring_min_transactions') }}
                and w.total_usd > {{ var('ctr_threshold_usd') }}
                then {{ var('structuring_floor_usd') }}
            -- a business with cash history is judged against it: its usual takings are not structuring
            when w.segment = 'SMALL_BUSINESS' and w.history_days >= {{ var('structuring_min_history_days') }}
                and w.history_cash_days >= {{ var('structuring_min_history_cash_days') }} then
                case
                    when w.transactions >= {{ var('structuring_min_transactions') }}
                        and w.total_usd > {{ var('ctr_threshold_usd') }}
                        and w.total_usd >= {{ var('structuring_business_baseline_multiple') }}
                            * w.history_usd * {{ var('structuring_window_days') }} / w.history_days
                        -- and more a day than it banks on a usual day: a young shop's steady takings after a
                        -- quiet start are more a window than its thin history, never more a day
                        and w.total_usd / w.cash_days >= {{ var('structuring_business_day_multiple') }}
                            * w.history_usd / w.history_cash_days
                        then {{ var('structuring_floor_usd') }}
                end
            -- a business without that history: its takings go to its own branch, not round several
            when w.segment = 'SMALL_BUSINESS'
                and (
                    w.transactions >= {{ var('structuring_business_min_transactions') }}
                    -- or two on one day: the day's cash split between branches or accounts
                    or w.transactions > w.cash_days
                )
                and w.total_usd > {{ var('ctr_threshold_usd') }}
                and w.locations >= {{ var('structuring_business_min_locations') }}
                and w.customer_id not in (select customer_id from cash_trades)
                -- a business living on other money (a car dealer's lenders, a shop's card takings) banks its few
                -- cash sales where it is that day
                and w.cash_share >= {{ var('business_cash_min_share') }}
                then {{ var('structuring_floor_usd') }}
            when w.just_under >= case
                    when w.segment = 'SMALL_BUSINESS' then {{ var('structuring_business_min_just_under') }}
                    else {{ var('structuring_min_transactions') }}
                end
                and w.just_under_usd > {{ var('ctr_threshold_usd') }}
                and w.just_under >= {{ var('structuring_just_under_share') }} * w.transactions
                and w.over_threshold = 0
                then {{ var('structuring_business_floor_usd') }}
        end as floor_usd
    from history as w
),

qualifying as (
    {{ overlapping_as_one(
        '(select * from judged where floor_usd is not null)',
        'customer_id, flow',
        'anchor_at, anchor_journal_id',
        "anchor_at - interval '" ~ var('structuring_window_days') ~ " days'",
        'anchor_at'
    ) }}
),

episodes as (
    select
        customer_id,
        flow,
        episode,
        min(anchor_at) - interval '{{ var("structuring_window_days") }} days' as window_start,
        max(anchor_at) as window_end,
        min(floor_usd) as floor_usd
    from qualifying
    group by customer_id, flow, episode
),

members as (
    select
        e.customer_id,
        e.flow,
        e.episode,
        min(c.journal_id) as first_journal_id,
        min(c.effective_at) as first_at,
        max(c.effective_at) as last_at,
        count(*) as transactions,
        sum(c.amount_usd) as total_amount_usd,
        max(c.amount_usd) as largest_amount_usd,
        count(distinct c.location) as locations,
        count(distinct c.business_date) as days,
        array_agg(distinct c.account_code order by c.account_code) as account_codes,
        {{ evidence_ids('c') }},
        array_agg(distinct c.location order by c.location) filter (where c.location is not null) as location_list,
        min(e.floor_usd) as floor_usd
    from episodes as e
    join cash as c
        on c.customer_id = e.customer_id
        and c.flow = e.flow
        and c.effective_at > e.window_start
        and c.effective_at <= e.window_end
        and c.amount_usd >= e.floor_usd
    group by e.customer_id, e.flow, e.episode
),

alert_rows as (
    select
        'STRUCTURING'::text as rule,
        md5('STRUCTURING:' || customer_id || ':' || flow || ':' || first_journal_id) as alert_id,
        customer_id,
        array[customer_id] as customer_ids,
        first_at,
        last_at,
        total_amount_usd,
        account_codes,
        journal_ids,
        reference_ids,
        jsonb_build_object(
            'direction', case flow when 'IN' then 'deposits' else 'withdrawals' end,
            'transactions', transactions,
            'business_days', days,
            'locations', coalesce(to_jsonb(location_list), '[]'::jsonb),
            'largest_amount_usd', trim_scale(largest_amount_usd::numeric)::text,
            'each_at_least_usd', floor_usd,
            'threshold_usd', {{ var('ctr_threshold_usd') }}
        ) as details
    from members
    where transactions >= {{ var('structuring_min_transactions') }}
)

{{ alert_rows('alert_rows') }}
