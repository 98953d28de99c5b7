-- Private ATMs filled with cash from elsewhere (family `cash_outflow`).
--   ATM_SETTLEMENTS_WITHOUT_CASH (FFIEC BSA/AML Examination Manual, "Independent Automated Teller Machine Owners or
--       Operators": the cash in a private ATM should be traceable to the operator's bank; FinCEN on ATMs loaded with
--       illicit cash): within `atm_window_days` up to an ATM settlement, a customer is paid at least
--       `atm_min_settled_usd` in at least `atm_min_settlements` ATM settlements (macro is_atm_settlement: a receipt
--       whose payer's name or reference has a word of `atm_settlement_words`, not from an account of its own name)
--       and took out in cash, in those days and the `atm_cash_lead_days`
--       before, less than `atm_min_cash_share` of it. An operator draws the vault cash its machines dispense and is
--       paid it back by the processor; machines that pay out far more than was drawn for them were filled with
--       cash from elsewhere, and the settlements make it clean money (the alert names where it went next). An
--       operator is judged once it has been settled for a whole window (its first settlement `atm_window_days`
--       before).
-- Windows slide over every settlement; overlapping ones are one alert.
with settlements as (
    select f.*, min(f.effective_at) over (partition by f.customer_id) as first_settled_at
    from {{ ref('int_customer_flows') }} as f
    where {{ is_atm_settlement('f') }}
),

windows as (
    select
        a.customer_id,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        s.settled_usd,
        s.settlements,
        s.first_at,
        s.processors,
        s.journal_ids,
        s.reference_ids,
        s.account_codes,
        c.cash_usd
    from settlements as a
    cross join lateral (
        select
            sum(w.amount_usd) as settled_usd,
            count(*) as settlements,
            min(w.effective_at) as first_at,
            array_agg(distinct w.party_label) as processors,
            {{ evidence_ids('w') }},
            array_agg(distinct w.account_code) as account_codes
        from settlements as w
        where w.customer_id = a.customer_id
            and w.effective_at > a.effective_at - interval '{{ var("atm_window_days") }} days'
            and w.effective_at <= a.effective_at
    ) as s
    cross join lateral (
        select coalesce(sum(o.amount_usd), 0) as cash_usd
        from {{ ref('int_customer_flows') }} as o
        where o.customer_id = a.customer_id
            and o.channel = 'CASH_WITHDRAWAL'
            and o.effective_at > a.effective_at
                - interval '{{ var("atm_window_days") + var("atm_cash_lead_days") }} days'
            and o.effective_at <= a.effective_at
    ) as c
    where s.settled_usd >= {{ var('atm_min_settled_usd') }}
        and s.settlements >= {{ var('atm_min_settlements') }}
        and c.cash_usd < {{ var('atm_min_cash_share') }} * s.settled_usd
        -- a whole window of its trade: its first settlement came at least `atm_window_days` before (an operator's
        -- first days, before and while its first vault cash is drawn, are not its habit)
        and a.first_settled_at <= a.effective_at - interval '{{ var("atm_window_days") }} days'
),

episodes as (
    {{ overlapping_as_one('windows', 'customer_id', 'anchor_at, anchor_journal_id', 'first_at', 'anchor_at') }}
),

-- the episode's window with the most settled (then the latest) speaks for it
best as (
    select distinct on (customer_id, episode) *
    from episodes
    order by customer_id, episode, settled_usd desc, anchor_at desc, anchor_journal_id
),

atm_alerts as (
    select
        'ATM_SETTLEMENTS_WITHOUT_CASH'::text as rule,
        md5('ATM_SETTLEMENTS_WITHOUT_CASH:' || e.customer_id || ':' || e.anchor_journal_id) as alert_id,
        e.customer_id,
        array[e.customer_id] as customer_ids,
        e.first_at,
        e.anchor_at as last_at,
        e.settled_usd as total_amount_usd,
        e.account_codes,
        e.journal_ids,
        e.reference_ids,
        jsonb_build_object(
            'settlements', e.settlements,
            'settled_usd', trim_scale(round(e.settled_usd::numeric, 2))::text,
            'cash_withdrawn_usd', trim_scale(round(e.cash_usd::numeric, 2))::text,
            'cash_share', round((e.cash_usd / e.settled_usd)::numeric, 4),
            'processors', to_jsonb(e.processors),
            -- where the money went: the parties paid, in the window's days, a tenth of what settled or more in all
            'paid_on_to', coalesce((
                select to_jsonb(array_agg(p.party_label order by p.party_label))
                from (
                    select o.party_label
                    from {{ ref('int_customer_flows') }} as o
                    where o.customer_id = e.customer_id
                        and o.flow = 'OUT'
                        and o.channel in ('ACH', 'WIRE', 'P2P')
                        and o.effective_at >= e.first_at
                        and o.effective_at <= e.anchor_at
                    group by o.party_label
                    having sum(o.amount_usd) >= 0.1 * e.settled_usd
                ) as p
            ), '[]'::jsonb),
            'days', round(extract(epoch from e.anchor_at - e.first_at) / 86400, 1)
        ) as details
    from best as e
)

{{ alert_rows('atm_alerts') }}
