-- Cash-intensive fronts: a business banking far more cash than its card sales can explain, and paying it on
-- (family `cash_outflow`).
--   CASH_FRONT_COMMINGLING (FFIEC BSA/AML Examination Manual, "Cash-Intensive Businesses": cash deposits out of
--       proportion to the business's card sales and size; FATF "Professional Money Laundering" 2018, front
--       businesses): within `cash_front_window_days` up to a payment out, a business (segment SMALL_BUSINESS) that
--       takes cards (a card processor, `card_processor_names`, paid it in the window) pays in at least
--       `cash_front_min_usd` in cash, at least `cash_front_card_multiple` times its card sales, and pays one party at
--       least `cash_front_onward_share` of that cash by wire, ACH or P2P (not an account of its own name, not in a
--       payroll batch: `business_batch_min_payments` payments on one day), and lives on cash (`cash_share`: at least
--       `business_cash_min_share` of its receipts over `business_cash_lookback_days`; a car dealer's cash down payments
--       beside its lenders' fundings repay its floor-plan lender). A restaurant's guests pay mostly by card,
--       and its cash goes on wages, rent and a dozen suppliers; a front's "takings" are the cash it is given to
--       mix in, and they leave for one company, at home or abroad, a few days later. The alert names the party paid,
--       the cash, the card sales and the branches the cash was paid in at.
-- Windows slide over every payment out; overlapping ones are one alert.
with flows as not materialized (
    select * from {{ ref('int_customer_flows') }}
    where segment = 'SMALL_BUSINESS'
),

payments as not materialized (
    select f.*
    from flows as f
    where f.flow = 'OUT'
        and f.channel in ('WIRE', 'ACH', 'P2P')
        and not {{ in_payment_batch('f', "'ACH', 'P2P'") }}
        and not {{ is_own_name_account('f') }}
),

windows as (
    select
        a.customer_id,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        a.party_key,
        a.party_label,
        a.party_country,
        c.cash_usd,
        c.deposits,
        c.first_cash_at,
        c.locations,
        c.card_usd,
        o.onward_usd
    from payments as a
    -- the window's receipts, read once: its cash, and its card sales (a processor's ACH payouts)
    cross join lateral (
        select
            sum(d.amount_usd) filter (where d.channel = 'CASH_DEPOSIT') as cash_usd,
            count(*) filter (where d.channel = 'CASH_DEPOSIT') as deposits,
            min(d.effective_at) filter (where d.channel = 'CASH_DEPOSIT') as first_cash_at,
            array_agg(distinct d.location) filter (where d.channel = 'CASH_DEPOSIT' and d.location is not null)
                as locations,
            sum(d.amount_usd) filter (
                where d.channel = 'ACH' and {{ has_phrase_of('d.party_label', 'card_processor_names') }}
            ) as card_usd
        from flows as d
        where d.customer_id = a.customer_id
            and d.flow = 'IN'
            and d.effective_at > a.effective_at - interval '{{ var("cash_front_window_days") }} days'
            and d.effective_at <= a.effective_at
    ) as c
    cross join lateral (
        select sum(p.amount_usd) as onward_usd
        from payments as p
        where p.customer_id = a.customer_id
            and p.party_key = a.party_key
            and p.effective_at > a.effective_at - interval '{{ var("cash_front_window_days") }} days'
            and p.effective_at <= a.effective_at
    ) as o
    where c.cash_usd >= {{ var('cash_front_min_usd') }}
        and c.card_usd > 0
        and c.cash_usd >= {{ var('cash_front_card_multiple') }} * c.card_usd
        and o.onward_usd >= {{ var('cash_front_onward_share') }} * c.cash_usd
        -- it lives on cash: a car dealer's cash down payments beside its lenders' fundings pay its floor-plan lender
        and {{ cash_share('a.customer_id', "'IN'", 'a.effective_at') }} >= {{ var('business_cash_min_share') }}
),

episodes as (
    {{ overlapping_as_one('windows', 'customer_id', 'anchor_at, anchor_journal_id', 'first_cash_at', 'anchor_at') }}
),

-- the episode's window paying the most on (then the latest) speaks for it
fronts as (
    select distinct on (customer_id, episode) *
    from episodes
    order by customer_id, episode, onward_usd desc, anchor_at desc, anchor_journal_id
),

-- the window's cash deposits and its payments to the party, in time order
moves as (
    select f.customer_id, f.episode, m.journal_id, m.reference_id, m.effective_at, m.account_code
    from fronts as f
    join flows as m
        on m.customer_id = f.customer_id
        and m.effective_at > f.anchor_at - interval '{{ var("cash_front_window_days") }} days'
        and m.effective_at <= f.anchor_at
        and (
            m.channel = 'CASH_DEPOSIT'
            or m.journal_id in (
                select p.journal_id from payments as p
                where p.customer_id = f.customer_id and p.party_key = f.party_key
            )
        )
),

cash_front as (
    select
        'CASH_FRONT_COMMINGLING'::text as rule,
        md5('CASH_FRONT_COMMINGLING:' || f.customer_id || ':' || f.anchor_journal_id) as alert_id,
        f.customer_id,
        array[f.customer_id] as customer_ids,
        f.first_cash_at as first_at,
        f.anchor_at as last_at,
        f.cash_usd as total_amount_usd,
        array(
            select distinct m.account_code from moves as m
            where m.customer_id = f.customer_id and m.episode = f.episode order by m.account_code
        ) as account_codes,
        array(
            select m.journal_id from moves as m
            where m.customer_id = f.customer_id and m.episode = f.episode order by m.effective_at, m.journal_id
        ) as journal_ids,
        array(
            select m.reference_id from moves as m
            where m.customer_id = f.customer_id and m.episode = f.episode order by m.effective_at, m.journal_id
        ) as reference_ids,
        jsonb_build_object(
            'paid_to', f.party_label,
            'paid_to_country', f.party_country,
            'paid_on_usd', trim_scale(round(f.onward_usd::numeric, 2))::text,
            'cash_usd', trim_scale(round(f.cash_usd::numeric, 2))::text,
            'cash_deposits', f.deposits,
            'card_sales_usd', trim_scale(round(f.card_usd::numeric, 2))::text,
            'cash_to_card', round((f.cash_usd / f.card_usd)::numeric, 2),
            'deposit_locations', coalesce(to_jsonb(f.locations), '[]'::jsonb),
            'window_days', {{ var('cash_front_window_days') }}
        ) as details
    from fronts as f
)

{{ alert_rows('cash_front') }}
