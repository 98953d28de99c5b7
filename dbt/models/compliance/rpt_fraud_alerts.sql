-- Credit obtained by fraud and moved on (family `lending_fraud`).
--   FINANCING_STACKING (FinCEN SAR narratives on double-pledged receivables and merchant cash advance
--       "stacking"; FFIEC BSA/AML manual, lending activities: loan proceeds used for unexpected purposes; the
--       Secured Finance Network's factoring fraud red flags): within `stacking_window_days`, a customer receives
--       advances of at least `stacking_min_advance_usd` each, by ACH or wire, from at least `stacking_min_lenders`
--       distinct financers (a name with a word of `financing_name_words`, or a payment whose reference has a word
--       of `financing_description_words`; by name, so a financer paying from two accounts is one), together at
--       least `stacking_trade_multiple` times everything else it received from the `stacking_lookback_days`
--       before the first advance to the last; or from at least `stacking_many_lenders` financers, at least
--       `stacking_many_trade_multiple` times: the same invoices sold to several factors, or advances taken from
--       several lenders at once, out of proportion to the trade behind them. A business with one factor is
--       advanced against its own receivables; one with a loan and a line of credit borrows less than three
--       times its trade. What it paid the financers in the window (one repaid with another's advance) is named
--       in the alert.
-- Windows slide over every advance; overlapping ones are one alert.
with flows as not materialized (
    select * from {{ ref('int_customer_flows') }}
),

advances as (
    select f.*, {{ normalise_name('f.party_label') }} as lender
    from flows as f
    where f.flow = 'IN'
        and f.channel in ('ACH', 'WIRE')
        and {{ is_outside_party('f.party_key') }}
        and f.amount_usd >= {{ var('stacking_min_advance_usd') }}
        and (
            coalesce({{ has_word_of('f.party_label', 'financing_name_words') }}, false)
            or coalesce({{ has_word_of('f.description', 'financing_description_words') }}, false)
        )
        and not {{ is_own_name_party('f') }}
),

-- only customers advanced by enough financers have a window to judge
stacked as (
    select a.*
    from advances as a
    where a.customer_id in (
        select customer_id
        from advances
        group by customer_id
        having count(distinct lender) >= {{ var('stacking_min_lenders') }}
    )
),

windows as (
    select
        a.customer_id,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        count(distinct w.lender) as lenders,
        array_agg(distinct w.party_label) as lender_names,
        sum(w.amount_usd) as advanced_usd,
        max(w.effective_at) as last_at,
        {{ evidence_ids('w') }},
        array_agg(distinct w.account_code) as account_codes
    from stacked as a
    join stacked as w
        on w.customer_id = a.customer_id
        and w.effective_at >= a.effective_at
        and w.effective_at < a.effective_at + interval '{{ var("stacking_window_days") }} days'
    group by a.customer_id, a.journal_id, a.effective_at
    having count(distinct w.lender) >= {{ var('stacking_min_lenders') }}
),

judged as (
    select
        w.*,
        coalesce((
            select sum(t.amount_usd)
            from flows as t
            where t.customer_id = w.customer_id
                and t.flow = 'IN'
                and t.effective_at >= w.anchor_at - interval '{{ var("stacking_lookback_days") }} days'
                and t.effective_at <= w.last_at
                and not exists (select 1 from stacked as s where s.journal_id = t.journal_id)
        ), 0) as other_receipts_usd,
        -- the financers paid back in the window (one repaid out of another's advance)
        (
            select jsonb_build_object(
                'repaid_usd', trim_scale(round(coalesce(sum(r.amount_usd), 0)::numeric, 2))::text,
                'repayments', count(*)
            )
            from flows as r
            where r.customer_id = w.customer_id
                and r.flow = 'OUT'
                and r.effective_at > w.anchor_at
                and r.effective_at <= w.last_at + interval '{{ var("stacking_window_days") }} days'
                and {{ normalise_name('r.party_label') }} in (
                    select s.lender from stacked as s
                    where s.customer_id = w.customer_id and s.effective_at < r.effective_at
                )
        ) as repaid
    from windows as w
),

episodes as (
    {{ overlapping_as_one(
        "(select * from judged where advanced_usd >= " ~ var('stacking_trade_multiple') ~ " * other_receipts_usd"
        ~ " or lenders >= " ~ var('stacking_many_lenders')
        ~ " and advanced_usd >= " ~ var('stacking_many_trade_multiple') ~ " * other_receipts_usd)",
        'customer_id', 'anchor_at, anchor_journal_id', 'anchor_at', 'last_at'
    ) }}
),

alerts as (
    -- the episode's window with the most financers speaks for it
    select distinct on (customer_id, episode)
        'FINANCING_STACKING'::text as rule,
        md5('FINANCING_STACKING:' || customer_id || ':' || anchor_journal_id) as alert_id,
        customer_id,
        array[customer_id] as customer_ids,
        anchor_at as first_at,
        last_at,
        advanced_usd as total_amount_usd,
        account_codes,
        journal_ids,
        reference_ids,
        jsonb_build_object(
            'lenders', lenders,
            'lender_names', to_jsonb(lender_names),
            'advanced_usd', trim_scale(round(advanced_usd::numeric, 2))::text,
            'other_receipts_usd', trim_scale(round(other_receipts_usd::numeric, 2))::text,
            'days', round(extract(epoch from last_at - anchor_at) / 86400, 1)
        ) || repaid as details
    from episodes
    order by customer_id, episode, lenders desc, advanced_usd desc, anchor_at, anchor_journal_id
)

{{ alert_rows('alerts') }}
