-- Card testing: stolen card numbers tried with tiny authorisations (at most `card_test_max_usd`), most of
-- them never captured (voided, expired, or still pending `card_test_pending_hours` later).
--   CARD_TESTING_ACCOUNT: at least `card_test_min_auths` tiny authorisations on one account within
--       `card_test_window_minutes` (a sliding window), or at least `card_test_min_uncaptured_auths` of which
--       at least `card_test_account_uncaptured_share` were never captured (tries that failed are the test).
--   CARD_TESTING_MERCHANT: tiny authorisations on at least `card_test_merchant_min_accounts` different
--       customers' accounts at one merchant (macro merchant_key: its name without the payment processor's
--       wrapper, store numbers and place) within `card_test_window_minutes`, at least
--       `card_test_merchant_uncaptured_share` of them not captured (ordinary small purchases at a busy
--       shop are captured); or on at least `card_test_merchant_min_repeated_accounts` accounts tried at
--       least twice each on average, at least `card_test_merchant_min_auths` tries in all, at least
--       `card_test_account_uncaptured_share` not captured. A merchant's window is
--       `card_test_merchant_window_minutes`, hours: testers spread their tries over many cards and stay
--       under per-minute limits.
--   STORED_VALUE_BURST (a scam victim told to pay in gift cards, a mule cashing out through prepaid reloads:
--       FinCEN FIN-2022-A002, FTC gift-card scam reports): at least `stored_value_min_purchases` card
--       purchases of stored value (gift cards, prepaid reloads: merchant category `stored_value_mccs` or a
--       word of the descriptor in `stored_value_words`), each at least `stored_value_min_each_usd`, by one
--       customer within `stored_value_window_hours`, together at least `stored_value_min_usd`. Shops that
--       sell gift cards beside everything else (an electronics chain, a pharmacy) do not say so on the
--       descriptor: a purchase of a card's face value (a multiple of `stored_value_denomination` of at least
--       `stored_value_min_face_value`, alone or plus one of `stored_value_activation_fees`, in one of
--       `stored_value_face_currencies`) counts too, when
--       at least `stored_value_min_named` purchases of the window are named as stored value.
-- Authorisations are holds with channel CARD and card payments posted without one (int_card_authorisations).
-- Overlapping windows are one alert.
with horizon as (
    select max(authorized_at) as latest_at from {{ ref('int_card_authorisations') }}
),

tiny as (
    select
        a.*,
        {{ merchant_key('a.descriptor') }} as merchant_key,
        -- never captured: voided or expired, or still pending `card_test_pending_hours` after it was
        -- authorised (by the latest authorisation in the data: a recent one may yet be captured)
        a.hold_status in ('VOIDED', 'EXPIRED')
            or (
                a.hold_status = 'PENDING'
                and a.authorized_at <= h.latest_at - interval '{{ var("card_test_pending_hours") }} hours'
            ) as is_uncaptured
    from {{ ref('int_card_authorisations') }} as a
    cross join horizon as h
    where a.amount_usd <= {{ var('card_test_max_usd') }}
),

by_account as (
    select
        'CARD_TESTING_ACCOUNT'::text as rule,
        a.account_id::text as subject,
        a.authorisation_id as anchor_id,
        a.authorized_at as anchor_at,
        max(t.authorized_at) as last_at
    from tiny as a
    join tiny as t
        on t.account_id = a.account_id
        and t.authorized_at >= a.authorized_at
        and t.authorized_at < a.authorized_at + interval '{{ var("card_test_window_minutes") }} minutes'
    group by a.account_id, a.authorisation_id, a.authorized_at
    having count(*) >= {{ var('card_test_min_auths') }}
        or (
            count(*) >= {{ var('card_test_min_uncaptured_auths') }}
            and count(*) filter (where t.is_uncaptured) >= {{ var('card_test_account_uncaptured_share') }} * count(*)
        )
),

by_merchant as (
    select
        'CARD_TESTING_MERCHANT'::text as rule,
        a.merchant_key as subject,
        a.authorisation_id as anchor_id,
        a.authorized_at as anchor_at,
        max(t.authorized_at) as last_at
    from tiny as a
    join tiny as t
        on t.merchant_key = a.merchant_key
        and t.authorized_at >= a.authorized_at
        and t.authorized_at < a.authorized_at + interval '{{ var("card_test_merchant_window_minutes") }} minutes'
    group by a.merchant_key, a.authorisation_id, a.authorized_at
    having (
            count(distinct t.account_id) filter (where t.authorized_at < a.authorized_at
                + interval '{{ var("card_test_window_minutes") }} minutes') >= {{ var('card_test_merchant_min_accounts') }}
            and count(*) filter (where t.is_uncaptured and t.authorized_at < a.authorized_at
                + interval '{{ var("card_test_window_minutes") }} minutes')
                >= {{ var('card_test_merchant_uncaptured_share') }} * count(*) filter (where t.authorized_at
                    < a.authorized_at + interval '{{ var("card_test_window_minutes") }} minutes')
        )
        -- fewer cards, each tried again and again (a card verified when it is saved is tried once)
        or (
            count(distinct t.account_id) >= {{ var('card_test_merchant_min_repeated_accounts') }}
            and count(*) >= {{ var('card_test_merchant_min_auths') }}
            and count(*) >= 2 * count(distinct t.account_id)
            and count(*) filter (where t.is_uncaptured) >= {{ var('card_test_account_uncaptured_share') }} * count(*)
        )
),

candidates as (
    select * from by_account
    union all
    select * from by_merchant
),

bursts as (
    select rule, subject, min(anchor_id) as key, min(anchor_at) as first_at, max(last_at) as last_at
    from (
        {{ overlapping_as_one('candidates', 'rule, subject', 'anchor_at, anchor_id', 'anchor_at', 'last_at') }}
    ) as numbered
    group by rule, subject, episode
),

members as (
    select b.rule, b.key, t.*
    from bursts as b
    join tiny as t
        on case b.rule when 'CARD_TESTING_ACCOUNT' then t.account_id::text else t.merchant_key end = b.subject
        and t.authorized_at >= b.first_at
        and t.authorized_at <= b.last_at
),

alerts as (
    select
        m.rule,
        md5(m.rule || ':' || m.key) as alert_id,
        (array_agg(m.customer_id order by m.authorized_at, m.authorisation_id))[1] as customer_id,
        array(select distinct x from unnest(array_agg(m.customer_id)) as x order by 1) as customer_ids,
        min(m.authorized_at) as first_at,
        max(m.authorized_at) as last_at,
        sum(m.amount_usd) as total_amount_usd,
        array_agg(distinct m.account_code order by m.account_code) as account_codes,
        array[]::bigint[] as journal_ids,
        array_agg(m.reference_id order by m.authorized_at, m.authorisation_id) as reference_ids,
        jsonb_build_object(
            'authorisations', count(*),
            'accounts', count(distinct m.account_id),
            'not_captured', count(*) filter (where m.is_uncaptured),
            'merchants', to_jsonb(array_agg(distinct m.descriptor)),
            'largest_amount_usd', trim_scale(max(m.amount_usd)::numeric)::text,
            'minutes', round(extract(epoch from max(m.authorized_at) - min(m.authorized_at)) / 60)
        ) as details
    from members as m
    group by m.rule, m.key
),

stored_value as (
    select *
    from (
        select
            a.*,
            a.mcc = any(array[{% for m in var('stored_value_mccs') %}{{ m }}{{ ',' if not loop.last }}{% endfor %}]::integer[])
                or coalesce({{ has_word_of('a.descriptor', 'stored_value_words') }}, false) as is_named,
            -- a card's face value (a multiple of the denomination), alone or with an activation fee: what a
            -- gift card sold by a shop that does not say so on the receipt costs
            a.currency = any(array[{% for c in var('stored_value_face_currencies') %}'{{ c }}'{{ ',' if not loop.last }}{% endfor %}]::text[])
                and a.amount >= {{ var('stored_value_min_face_value') }}
                and mod(a.amount, {{ var('stored_value_denomination') }}) = any(array[0
                    {%- for fee in var('stored_value_activation_fees') %}, {{ fee }}{% endfor %}]::numeric[])
                as is_face_value
        from {{ ref('int_card_authorisations') }} as a
        where a.hold_status in ('CAPTURED', 'PENDING')
            and a.amount_usd >= {{ var('stored_value_min_each_usd') }}
    ) as a
    where a.is_named or a.is_face_value
),

stored_value_anchors as (
    select
        a.customer_id,
        a.authorisation_id as anchor_id,
        a.authorized_at as anchor_at,
        max(t.authorized_at) as last_at
    from stored_value as a
    join stored_value as t
        on t.customer_id = a.customer_id
        and t.authorized_at >= a.authorized_at
        and t.authorized_at < a.authorized_at + interval '{{ var("stored_value_window_hours") }} hours'
    group by a.customer_id, a.authorisation_id, a.authorized_at
    having count(*) >= {{ var('stored_value_min_purchases') }}
        and count(*) filter (where t.is_named) >= {{ var('stored_value_min_named') }}
        and sum(t.amount_usd) >= {{ var('stored_value_min_usd') }}
),

stored_value_bursts as (
    select customer_id, min(anchor_id) as key, min(anchor_at) as first_at, max(last_at) as last_at
    from (
        {{ overlapping_as_one('stored_value_anchors', 'customer_id', 'anchor_at, anchor_id', 'anchor_at', 'last_at') }}
    ) as numbered
    group by customer_id, episode
),

stored_value_alerts as (
    select
        'STORED_VALUE_BURST'::text as rule,
        md5('STORED_VALUE_BURST:' || b.key) as alert_id,
        b.customer_id,
        array[b.customer_id] as customer_ids,
        min(t.authorized_at) as first_at,
        max(t.authorized_at) as last_at,
        sum(t.amount_usd) as total_amount_usd,
        array_agg(distinct t.account_code order by t.account_code) as account_codes,
        array[]::bigint[] as journal_ids,
        array_agg(t.reference_id order by t.authorized_at, t.authorisation_id) as reference_ids,
        jsonb_build_object(
            'purchases', count(*),
            'named_stored_value', count(*) filter (where t.is_named),
            'merchants', to_jsonb(array_agg(distinct t.descriptor)),
            'largest_amount_usd', trim_scale(max(t.amount_usd)::numeric)::text,
            'hours', round(extract(epoch from max(t.authorized_at) - min(t.authorized_at)) / 3600, 1)
        ) as details
    from stored_value_bursts as b
    join stored_value as t
        on t.customer_id = b.customer_id
        and t.authorized_at >= b.first_at
        and t.authorized_at <= b.last_at
    group by b.customer_id, b.key
)

{{ alert_rows('(select * from alerts union all select * from stored_value_alerts)') }}
