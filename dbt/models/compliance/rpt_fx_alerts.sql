-- Conversions used to break the trail (FX and crypto).
--   FX_ROUND_TRIP: a customer converts at least `fx_min_usd` out of a currency and, within
--       `fx_round_trip_days`, back into it, getting back between `fx_round_trip_min_keep` and
--       `fx_round_trip_max_keep` of the USD value (for a coin, whose price moves more, between
--       `fx_crypto_round_trip_min_keep` and `fx_crypto_round_trip_max_keep`) (either way in one conversion or in several: what went out
--       and what came back within the window from the first conversion out), and the money is passing through: in the `fx_context_days`
--       before the first conversion it received (not from an employer or biller) at least `fx_context_share`
--       of what it converted, or in the `fx_context_days` after the second it paid out that much.
--       A traveller who changes money for a trip and changes back what is left gets back a fraction.
--   FX_LAYERING: money received (a transfer or cash, at least `fx_min_usd`) is converted (at least
--       `fx_context_share` of it) within `fx_context_days`, and at least `fx_context_share` of the converted
--       amount leaves within `fx_context_days` of the conversion from the new currency's account, or from a
--       third currency's it was converted on into meanwhile (USD to EUR to GBP, then wired out in GBP: at
--       least `fx_context_share` of it converted on, in one conversion). Two hops: a longer chain, or one back
--       into the first currency, is left to the round-trip and moved-on rules.
with conversions as (
    select * from {{ ref('int_customer_conversions') }}
    where amount_usd is not null
),

flows as (
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

layering as (
    select distinct on (c.journal_id)
        c.customer_id,
        c.journal_id as conversion_journal_id,
        i.effective_at as first_at,
        o.effective_at as last_at,
        i.amount_usd as in_usd,
        c.amount_usd as converted_usd,
        o.amount_usd as out_usd,
        c.from_currency,
        c.to_currency,
        o.currency as out_currency,
        array_remove(array[i.journal_id, c.journal_id, n.journal_id, o.journal_id], null) as journal_ids,
        array_remove(array[i.reference_id, c.reference_id, n.reference_id, o.reference_id], null) as reference_ids,
        array[i.account_code, o.account_code] as account_codes,
        o.party_label as recipient
    from conversions as c
    join flows as i
        on i.customer_id = c.customer_id
        and i.flow = 'IN'
        and i.currency = c.from_currency
        and i.effective_at <= c.effective_at
        and i.effective_at > c.effective_at - interval '{{ var("fx_context_days") }} days'
        and i.amount_usd >= {{ var('fx_min_usd') }}
        and c.amount_usd >= {{ var('fx_context_share') }} * i.amount_usd
    join flows as o
        on o.customer_id = c.customer_id
        and o.flow = 'OUT'
        and o.currency <> c.from_currency
        and o.effective_at >= c.effective_at
        and o.effective_at < c.effective_at + interval '{{ var("fx_context_days") }} days'
        and o.amount_usd >= {{ var('fx_context_share') }} * c.received_usd
    -- paid out of a third currency: the conversion of this money on into it (from the first conversion's
    -- currency, most of what it received), between the first conversion and the payment
    left join lateral (
        select n.journal_id, n.reference_id
        from conversions as n
        where n.customer_id = c.customer_id
            and n.from_currency = c.to_currency
            and n.to_currency = o.currency
            and n.amount_usd >= {{ var('fx_context_share') }} * c.received_usd
            and n.effective_at > c.effective_at
            and n.effective_at <= o.effective_at
        order by n.effective_at desc, n.journal_id desc
        limit 1
    ) as n on o.currency <> c.to_currency
    where o.currency = c.to_currency or n.journal_id is not null
    order by c.journal_id, o.amount_usd desc, o.journal_id
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
            'currencies', from_currency || ' > ' || to_currency
                || case when out_currency <> to_currency then ' > ' || out_currency else '' end,
            'received_usd', trim_scale(in_usd::numeric)::text,
            'converted_usd', trim_scale(converted_usd::numeric)::text,
            'paid_out_usd', trim_scale(out_usd::numeric)::text,
            'paid_to', recipient,
            'hours', round(extract(epoch from last_at - first_at) / 3600, 1)
        )
    from layering
)

{{ alert_rows('alerts') }}
