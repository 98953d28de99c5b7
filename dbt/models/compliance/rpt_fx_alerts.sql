-- Conversions used to break the trail (FX and crypto).
--   FX_ROUND_TRIP: a customer converts at least `fx_min_usd` out of a currency and, within
--       `fx_round_trip_days`, back into it, getting back between `fx_round_trip_min_keep` and
--       `fx_round_trip_max_keep` of the USD value (for a coin, whose price moves more, between
--       `fx_crypto_round_trip_min_keep` and `fx_crypto_round_trip_max_keep`) (either way in one conversion or in several: what went out
--       and what came back within the window from the first conversion out), and the money is passing through: in the `fx_context_days`
--       before the first conversion it received (not from an employer or biller) at least `fx_context_share`
--       of what it converted, or in the `fx_context_days` after the second it paid out that much.
--       A traveller who changes money for a trip and changes back what is left gets back a fraction.
--   FX_LAYERING: money received (transfers or cash, at least `fx_min_usd` in the `fx_context_days` before) is
--       converted (at least `fx_context_share` of it, or of one receipt of at least `fx_min_usd` among them), possibly on through further conversions (each out
--       of the currency the last one went into, at least `fx_context_share` of what that one received, within
--       `fx_context_days` of it; up to `fx_layering_max_hops` conversions in all), and at least
--       `fx_context_share` of what the last conversion received leaves in its currency within
--       `fx_context_days` of it, in one payment or several (USD to EUR, wired out in EUR; USD to EUR to GBP to
--       CHF, wired out in CHF in three pieces).
--       A chain that ends back in the first currency counts from three conversions (USD to EUR to GBP to USD,
--       then out): two, out and straight back, is the round trip's, judged on what came back.
with recursive conversions as not materialized (
    select * from {{ ref('int_customer_conversions') }}
    where amount_usd is not null
),

-- not materialized: each chain reads its customer's flows by int_customer_flows' index
flows as not materialized (
    select * from {{ ref('int_customer_flows') }}
    where party_key <> 'CRYPTO' and not is_common_party
),

-- every conversion out of a currency anchors a window: what was converted out of it (into one other currency)
-- and what came back into it within `fx_round_trip_days`, in as many pieces either way (a trip split
-- into smaller conversions is the same trip)
legs as (
    select
        c1.customer_id,
        c1.journal_id as anchor_journal_id,
        c1.effective_at as anchor_at,
        c1.from_currency,
        c1.to_currency,
        w.journal_id,
        w.reference_id,
        w.effective_at,
        w.from_currency = c1.from_currency as is_out,
        case when w.from_currency = c1.from_currency then w.amount_usd else w.received_usd end as usd,
        w.from_account,
        w.to_account,
        c1.channel = 'CRYPTO' as is_crypto
    from conversions as c1
    join conversions as w
        on w.customer_id = c1.customer_id
        and w.effective_at >= c1.effective_at
        and w.effective_at <= c1.effective_at + interval '{{ var("fx_round_trip_days") }} days'
        and (
            (w.from_currency = c1.from_currency and w.to_currency = c1.to_currency)
            or (w.from_currency = c1.to_currency and w.to_currency = c1.from_currency)
        )
),

windows as (
    select
        customer_id,
        anchor_journal_id,
        anchor_at,
        from_currency,
        to_currency,
        is_crypto,
        coalesce(sum(usd) filter (where is_out), 0) as sent_usd,
        coalesce(sum(usd) filter (where not is_out), 0) as back_usd,
        max(effective_at) filter (where not is_out) as second_at,
        array_agg(journal_id order by effective_at, journal_id) as journal_ids,
        array_agg(reference_id order by effective_at, journal_id) as reference_ids,
        array(select distinct a from unnest(array_agg(from_account) || array_agg(to_account)) as a order by 1)
            as account_codes
    from legs
    group by customer_id, anchor_journal_id, anchor_at, from_currency, to_currency, is_crypto
),

qualifying as (
    select *
    from windows
    where sent_usd >= {{ var('fx_min_usd') }}
        and case
            -- a coin's price moves far more in a week than a currency's: the band is wider
            when is_crypto then back_usd between {{ var('fx_crypto_round_trip_min_keep') }} * sent_usd
                and {{ var('fx_crypto_round_trip_max_keep') }} * sent_usd
            else back_usd between {{ var('fx_round_trip_min_keep') }} * sent_usd
                and {{ var('fx_round_trip_max_keep') }} * sent_usd
        end
),

-- one trip per window: the first qualifying anchor (a later conversion of the same trip is inside it)
round_trips as (
    select
        q.customer_id,
        q.anchor_journal_id as first_journal_id,
        q.anchor_at as first_at,
        q.second_at,
        q.sent_usd,
        q.back_usd,
        q.from_currency,
        q.to_currency,
        q.journal_ids,
        q.reference_ids,
        q.account_codes
    from qualifying as q
    where not exists (
        select 1 from qualifying as e
        where e.customer_id = q.customer_id
            and e.from_currency = q.from_currency
            and e.to_currency = q.to_currency
            and e.anchor_at < q.anchor_at
            and e.anchor_at >= q.anchor_at - interval '{{ var("fx_round_trip_days") }} days'
    )
),

round_trip_context as (
    select distinct on (r.first_journal_id)
        r.*,
        f.journal_id as context_journal_id,
        f.reference_id as context_reference_id,
        f.account_code as context_account,
        f.flow as context_flow,
        f.amount_usd as context_usd,
        f.effective_at as context_at
    from round_trips as r
    join flows as f
        on f.customer_id = r.customer_id
        and (
            (f.flow = 'IN' and f.effective_at <= r.first_at
                and f.effective_at > r.first_at - interval '{{ var("fx_context_days") }} days')
            or (f.flow = 'OUT' and f.effective_at >= r.second_at
                and f.effective_at < r.second_at + interval '{{ var("fx_context_days") }} days')
        )
        and f.amount_usd >= {{ var('fx_context_share') }} * r.sent_usd
    order by r.first_journal_id, f.amount_usd desc, f.journal_id
),

-- a chain of conversions carrying the money on: from each conversion, the next one out of the currency it went
-- into (the first that takes most of what it received, within `fx_context_days` of it), up to
-- `fx_layering_max_hops` conversions
chains as (
    select
        customer_id,
        journal_id as first_journal_id,
        effective_at as first_conversion_at,
        effective_at as last_conversion_at,
        from_currency as origin_currency,
        to_currency as currency,
        amount_usd as converted_usd,
        received_usd,
        array[journal_id] as journal_ids,
        array[reference_id] as reference_ids,
        array[from_account, to_account] as account_codes,
        from_currency || ' > ' || to_currency as path,
        1 as hops
    from conversions
    -- a chain's first conversion takes most of a receipt of at least `fx_min_usd`
    where amount_usd >= {{ var('fx_context_share') }} * {{ var('fx_min_usd') }}
    union all
    select
        ch.customer_id,
        ch.first_journal_id,
        ch.first_conversion_at,
        n.effective_at,
        ch.origin_currency,
        n.to_currency,
        ch.converted_usd,
        n.received_usd,
        ch.journal_ids || n.journal_id,
        ch.reference_ids || n.reference_id,
        ch.account_codes || n.to_account,
        ch.path || ' > ' || n.to_currency,
        ch.hops + 1
    from chains as ch
    cross join lateral (
        select c.journal_id, c.reference_id, c.effective_at, c.to_currency, c.to_account, c.received_usd
        from conversions as c
        where c.customer_id = ch.customer_id
            and c.from_currency = ch.currency
            and c.effective_at > ch.last_conversion_at
            and c.effective_at < ch.last_conversion_at + interval '{{ var("fx_context_days") }} days'
            and c.amount_usd >= {{ var('fx_context_share') }} * ch.received_usd
        order by c.effective_at, c.journal_id
        limit 1
    ) as n
    where ch.hops < {{ var('fx_layering_max_hops') }}
),

layering as (
    -- the longest chain from a conversion that ends in money paid out: what came in before the first conversion
    -- and what left after the last, in as many pieces as they came and went
    select distinct on (ch.first_journal_id)
        ch.customer_id,
        ch.first_journal_id as conversion_journal_id,
        i.first_at,
        o.last_at,
        i.in_usd,
        ch.converted_usd,
        o.out_usd,
        ch.path,
        ch.hops,
        i.journal_ids || ch.journal_ids || o.journal_ids as journal_ids,
        i.reference_ids || ch.reference_ids || o.reference_ids as reference_ids,
        i.account_codes || ch.account_codes || o.account_codes as account_codes,
        o.recipients
    from chains as ch
    cross join lateral (
        select
            sum(f.amount_usd) as in_usd,
            -- receipts of at least `fx_min_usd` of which the first conversion took most (a busy account's one
            -- receipt converted and sent on, among others that were not)
            count(*) filter (
                where f.amount_usd >= {{ var('fx_min_usd') }}
                    and ch.converted_usd >= {{ var('fx_context_share') }} * f.amount_usd
            ) as converted_receipts,
            min(f.effective_at) as first_at,
            {{ evidence_ids('f') }},
            array_agg(distinct f.account_code) as account_codes
        from flows as f
        where f.customer_id = ch.customer_id
            and f.flow = 'IN'
            and f.currency = ch.origin_currency
            and f.effective_at <= ch.first_conversion_at
            and f.effective_at > ch.first_conversion_at - interval '{{ var("fx_context_days") }} days'
    ) as i
    cross join lateral (
        select
            sum(f.amount_usd) as out_usd,
            max(f.effective_at) as last_at,
            {{ evidence_ids('f') }},
            array_agg(distinct f.account_code) as account_codes,
            string_agg(distinct f.party_label, ', ') as recipients
        from flows as f
        where f.customer_id = ch.customer_id
            and f.flow = 'OUT'
            and f.currency = ch.currency
            and f.effective_at >= ch.last_conversion_at
            and f.effective_at < ch.last_conversion_at + interval '{{ var("fx_context_days") }} days'
    ) as o
    where (ch.currency <> ch.origin_currency or ch.hops >= 3)
        and i.in_usd >= {{ var('fx_min_usd') }}
        and (ch.converted_usd >= {{ var('fx_context_share') }} * i.in_usd or i.converted_receipts > 0)
        and o.out_usd >= {{ var('fx_context_share') }} * ch.received_usd
    order by ch.first_journal_id, ch.hops desc
),

alerts as (
    select
        'FX_ROUND_TRIP'::text as rule,
        md5('FX_ROUND_TRIP:' || first_journal_id) as alert_id,
        customer_id,
        array[customer_id] as customer_ids,
        least(first_at, context_at) as first_at,
        greatest(second_at, context_at) as last_at,
        sent_usd + back_usd + context_usd as total_amount_usd,
        array(select distinct a from unnest(account_codes || context_account) as a order by 1) as account_codes,
        journal_ids || context_journal_id as journal_ids,
        reference_ids || context_reference_id as reference_ids,
        jsonb_build_object(
            'currencies', from_currency || ' > ' || to_currency || ' > ' || from_currency,
            'converted_usd', trim_scale(sent_usd::numeric)::text,
            'returned_usd', trim_scale(back_usd::numeric)::text,
            'kept_share', round(back_usd / sent_usd, 4),
            'passing_through', case context_flow when 'IN' then 'received before' else 'paid out after' end,
            'days', round(extract(epoch from second_at - first_at) / 86400, 1)
        ) as details
    from round_trip_context
    union all
    select
        'FX_LAYERING',
        md5('FX_LAYERING:' || conversion_journal_id),
        customer_id,
        array[customer_id],
        first_at,
        last_at,
        in_usd + converted_usd + out_usd,
        array(select distinct a from unnest(account_codes) as a order by 1),
        journal_ids,
        reference_ids,
        jsonb_build_object(
            'currencies', path,
            'conversions', hops,
            'received_usd', trim_scale(in_usd::numeric)::text,
            'converted_usd', trim_scale(converted_usd::numeric)::text,
            'paid_out_usd', trim_scale(out_usd::numeric)::text,
            'paid_to', recipients,
            'hours', round(extract(epoch from last_at - first_at) / 3600, 1)
        )
    from layering
)

{{ alert_rows('alerts') }}
