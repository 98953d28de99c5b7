-- Export control evasion: goods of concern paid for from transshipment countries (family `sanctions_evasion`).
--   EXPORT_CONTROL_TRANSSHIPMENT (FinCEN and BIS Joint Alert FIN-2022-Alert003 and Supplemental Alert
--       FIN-2023-Alert004 on Russian export control evasion: the Common High Priority List's electronics, aircraft
--       parts, test equipment and machine tools, shipped through front companies in the transshipment countries
--       the alerts name): a business (segment SMALL_BUSINESS) whose declared trade deals in such goods (its
--       occupation holds a phrase of `export_controlled_trade_phrases`) receives, within `export_control_window_days`,
--       at least `export_control_min_payments` wires from companies (int_customer_flows.is_organisation) in
--       `transshipment_jurisdictions` that first paid
--       it in that window, together at least `export_control_min_usd`. A distributor with customers of long standing
--       in Istanbul or Dubai is not new to them; new payers there, prepaying in round sums, sometimes for one another,
--       are the pattern of the alerts. The alert names the payers and their countries, and the five parties the
--       business paid most from the first prepayment to `export_control_paid_on_days` after the last (its suppliers at
--       home, a freight forwarder; not its own accounts elsewhere).
-- Windows slide over every such wire; overlapping ones are one alert.
with flows as not materialized (
    select * from {{ ref('int_customer_flows') }}
    where segment = 'SMALL_BUSINESS'
),

traders as (
    select c.customer_id
    from {{ ref('stg_ledger__customers') }} as c
    where c.segment = 'SMALL_BUSINESS'
        and coalesce({{ has_phrase_of('c.occupation', 'export_controlled_trade_phrases') }}, false)
),

-- wires from companies in the transshipment countries
prepayments as (
    select f.*
    from flows as f
    join traders as t using (customer_id)
    where f.flow = 'IN'
        and f.channel = 'WIRE'
        and f.party_country in ({% for c in var('transshipment_jurisdictions') %}'{{ c }}'{{ ',' if not loop.last }}{% endfor %})
        and {{ is_outside_party('f.party_key') }}
        -- a company (a person wiring from Istanbul is not a front), not the business's own account there
        and coalesce(f.is_organisation, false)
        and not {{ is_own_name_account('f') }}
),

windows as (
    select
        a.customer_id,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        count(*) as payments,
        sum(w.amount_usd) as total_usd,
        min(w.effective_at) as first_at,
        array_agg(distinct w.party_label) as payers,
        array_agg(distinct w.party_country) as countries,
        {{ evidence_ids('w') }},
        array_agg(distinct w.account_code) as account_codes
    from prepayments as a
    join prepayments as w
        on w.customer_id = a.customer_id
        and w.effective_at > a.effective_at - interval '{{ var("export_control_window_days") }} days'
        and w.effective_at <= a.effective_at
        -- a payer new to the business in the window
        and w.party_first_at > a.effective_at - interval '{{ var("export_control_window_days") }} days'
    group by a.customer_id, a.journal_id, a.effective_at
    having count(*) >= {{ var('export_control_min_payments') }}
        and sum(w.amount_usd) >= {{ var('export_control_min_usd') }}
),

episodes as (
    {{ overlapping_as_one('windows', 'customer_id', 'anchor_at, anchor_journal_id', 'first_at', 'anchor_at') }}
),

export_control as (
    -- the episode's window with the most money (then the latest) speaks for it
    select distinct on (e.customer_id, e.episode)
        'EXPORT_CONTROL_TRANSSHIPMENT'::text as rule,
        md5('EXPORT_CONTROL_TRANSSHIPMENT:' || e.customer_id || ':' || e.anchor_journal_id) as alert_id,
        e.customer_id,
        array[e.customer_id] as customer_ids,
        e.first_at,
        e.anchor_at as last_at,
        e.total_usd as total_amount_usd,
        e.account_codes,
        e.journal_ids,
        e.reference_ids,
        jsonb_build_object(
            'payments', e.payments,
            'total_usd', trim_scale(round(e.total_usd::numeric, 2))::text,
            'payers', to_jsonb(e.payers),
            'countries', to_jsonb(e.countries),
            'paid_on', coalesce((
                select jsonb_agg(jsonb_build_object(
                    'party', o.party_label,
                    'country', o.party_country,
                    'usd', trim_scale(round(o.usd::numeric, 2))::text
                ) order by o.usd desc)
                from (
                    select p.party_label, p.party_country, sum(p.amount_usd) as usd
                    from flows as p
                    where p.customer_id = e.customer_id
                        and p.flow = 'OUT'
                        and p.channel in ('WIRE', 'ACH')
                        and p.effective_at >= e.first_at
                        and p.effective_at <= e.anchor_at + interval '{{ var("export_control_paid_on_days") }} days'
                        -- an account of its own name elsewhere is its own money (and its name the customer's)
                        and not {{ is_own_name_account('p') }}
                    group by p.party_label, p.party_country
                    order by sum(p.amount_usd) desc
                    limit 5
                ) as o
            ), '[]'::jsonb),
            'days', round(extract(epoch from e.anchor_at - e.first_at) / 86400, 1)
        ) as details
    from episodes as e
    order by e.customer_id, e.episode, e.total_usd desc, e.anchor_at desc, e.anchor_journal_id
)

{{ alert_rows('export_control') }}
