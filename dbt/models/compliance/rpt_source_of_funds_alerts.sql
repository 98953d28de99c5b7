-- Money whose source does not fit the customer who receives it, followed to where it goes (family
-- `source_of_funds`). COLLECTIONS_SENT_ABROAD, CORPORATE_PAYMENTS_TO_PERSON and CRYPTO_PROCEEDS_CASHED_OUT judge
-- customers who are not businesses; the others say whom they judge.
--   COLLECTIONS_SENT_ABROAD (FATF "Terrorist Financing Risk Indicators" and "Emerging TF Risks" 2015:
--       donations collected informally and sent on to individuals abroad; FATF hawala report 2013): within
--       `collections_window_days` ending at a payment to a person abroad (a party whose country is not the
--       customer's, not a company, not a common party) or through a money transfer operator
--       (`remittance_operator_names`), the customer received from at least
--       `collections_min_payers` distinct people (not companies, not employers or other common parties: a
--       salary is not a collection), and paid people abroad in that window at least `collections_forward_min_usd`
--       and at least `collections_forward_share` of what those people paid in. A migrant sending part of a
--       salary home collects nothing; a seller paid by many buyers sends a small share abroad, if any. Nor
--       is a collection that pays a biller (by name) first paid from its start until `collections_bill_days`
--       after the payment abroad at least `collections_bill_share` of it: a family's collection for a funeral
--       at home and abroad, a fundraiser for a hospital bill.
--   CORPORATE_PAYMENTS_TO_PERSON (FATF "Laundering the Proceeds of Corruption" 2011, PEP guidance 2013;
--       Wolfsberg PEP FAQ 2017: "consulting" fees paid to a public official's relative): within
--       `corporate_inflow_window_days`, at least `corporate_inflow_min_payments` payments by wire or ACH from
--       one company new to the customer, or from companies abroad each new to it (first paid in that window; not a
--       common party: an employer of many, a biller), together at least `corporate_inflow_min_usd`. A salary is
--       paid by a known employer and is far smaller; an estate, a property sale or a settlement at home is paid
--       once. Nor is an insurer at home (`settlement_payer_words`) paying a claim in stages: money owed to the
--       customer.
--   OFFSHORE_THIRD_PARTY_PAYMENTS (FATF/Egmont "Concealment of Beneficial Ownership" 2018; FFIEC BSA/AML
--       manual, appendix F: funds from offshore companies used to pay unrelated third parties): a wire of at
--       least `offshore_min_usd` from a company in an offshore jurisdiction (`offshore_jurisdictions`: the
--       IMF's offshore financial centres and the secrecy jurisdictions FATF/Egmont cases name), then, within
--       `offshore_spend_days`, payments to at least `offshore_min_payees` distinct parties (people, companies
--       or billers; not the customer's own accounts, not the payer itself) together at least `offshore_spend_share` of what that
--       company sent in the window. Any segment: a company account paying its owner's car, school and card
--       bills is the typology; a business's trade (payroll, known suppliers) is not counted.
--   FOREIGN_FUNDED_PROPERTY_PURCHASE (FinCEN advisory FIN-2017-A003 and the real estate Geographic Targeting
--       Orders: all-cash purchases of property by legal entities; FATF "Money Laundering and Terrorist Financing
--       through the Real Estate Sector" 2007): a company (segment SMALL_BUSINESS) receives wires from abroad (any
--       payer: a company, a person) of at least `property_min_usd` within `property_purchase_days`, and pays a
--       title or escrow company (`property_closing_words` in its name) at least `property_funded_share` of it
--       in that time: earnest money and closing funds, the property bought with money from abroad, no mortgage.
--       A person buying a home with savings or family money from abroad is not a legal entity; a company that
--       sells a property is paid by the title company, not the other way round.
--   FRONT_COMPANY_PAYOUTS (FATF "Money Laundering and the Illegal Wildlife Trade" 2020 and TBML guidance 2020/2021:
--       front companies in import and export, paid by buyers abroad, paying suppliers in source countries as
--       individuals and in cash): a business (segment SMALL_BUSINESS) receives wires from companies abroad, at least
--       `front_company_min_usd` in `front_company_days` from the first, and within those days pays at least
--       `front_company_paid_share` of what companies abroad sent it in that time, in at least
--       `front_company_min_payments` payments, in cash or to people abroad (not companies, not accounts of its own
--       name). A trading company pays its suppliers abroad as companies, and draws little cash beside what
--       companies abroad send it.
--   CRYPTO_PROCEEDS_CASHED_OUT (FATF "Virtual Assets Red Flag Indicators" 2020: virtual assets from
--       outside sold to fiat and withdrawn at once; a darknet vendor or a ransom cashed out): a person (not a
--       business) sells crypto at least `crypto_cashout_min_sales` times within `crypto_cashout_window_days`,
--       at least `crypto_cashout_min_usd` more than it bought here in the `crypto_cashout_lookback_days`
--       before (the coins came from elsewhere), and from the first of those sales until
--       `crypto_cashout_days` after the last pays out at least `crypto_cashout_share` of what it sold as
--       cash, by P2P or to other banks (not to common parties or billers, not to accounts of its own name
--       elsewhere: int_own_name_parties); or sells at least `crypto_cashout_lump_usd` more than it bought here
--       in those days (a ransom, in one sale or a few) and from the first sale until `crypto_cashout_days` after
--       the last sends at least `crypto_cashout_away_share` of that out of reach: in cash, or to parties abroad
--       first paid since the first sale. A hobby trader sells coins it bought here, now and then, and keeps
--       the money or moves it to its own brokerage; a holder selling its coins for a house pays a title company
--       at home.
--   INSURANCE_EARLY_SURRENDER (FATF "Guidance for a Risk-Based Approach: Life Insurance Sector" 2018; the red flags
--       of 31 CFR 1025.320: a premium paid by a third party, early cancellation at a cost, a refund to be moved on):
--       a customer pays an insurer (a word of `insurer_name_words` in its name) a premium of at least
--       `insurance_min_premium_usd`, the same insurer pays back at least `insurance_refund_share` of it within
--       `insurance_surrender_days` (a free-look cancellation, a surrender at a loss, an overpayment refunded), and in
--       the `insurance_funding_days` before the premium others paid the customer at least `insurance_funded_share`
--       of it: cash paid in, a third party at home or abroad (not accounts of its own name, not its employer or
--       another common party, not an insurer paying out a policy, not crypto sold or a broker-dealer). A retiree who
--       replaces a policy with the
--       proceeds of another, or cancels an annuity bought with savings, funds it with its own money.
-- Windows slide over every anchoring payment; overlapping ones are one alert. The flows' subsets are not
-- materialized, so that each window reads its customer's rows by int_customer_flows' index.
with flows as not materialized (
    select * from {{ ref('int_customer_flows') }}
),

offshore as (
    select unnest(array[
        {%- for c in var('offshore_jurisdictions') %}'{{ c }}'{{ ',' if not loop.last }}{% endfor -%}
    ]::text[]) as country
),

-- COLLECTIONS_SENT_ABROAD ---------------------------------------------------------------------------------
people_in as not materialized (
    select *
    from flows
    where flow = 'IN'
        and segment <> 'SMALL_BUSINESS'
        and channel in ('P2P', 'ACH', 'WIRE')
        and is_common_party is not true
        and not coalesce({{ is_company_name('party_label') }}, false)
),

-- to a person abroad, or through a money transfer operator (the payee abroad is the operator's to know)
sent_abroad as not materialized (
    select *
    from flows as f
    where f.flow = 'OUT'
        and f.segment <> 'SMALL_BUSINESS'
        and f.channel in ('P2P', 'ACH', 'WIRE')
        and {{ is_sent_abroad('f') }}
),

collection_windows as (
    select
        a.customer_id,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        s.sent_usd,
        s.recipients,
        s.countries,
        s.first_sent_at,
        s.out_journal_ids,
        s.out_reference_ids,
        s.out_accounts,
        c.payers,
        c.collected_usd,
        c.first_in_at,
        c.in_journal_ids,
        c.in_reference_ids,
        c.in_accounts
    from sent_abroad as a
    cross join lateral (
        select
            sum(o.amount_usd) as sent_usd,
            array_agg(distinct o.party_label) as recipients,
            array_agg(distinct o.party_country) as countries,
            min(o.effective_at) as first_sent_at,
            {{ evidence_ids('o', 'out_') }},
            array_agg(distinct o.account_code) as out_accounts
        from sent_abroad as o
        where o.customer_id = a.customer_id
            and o.effective_at > a.effective_at - interval '{{ var("collections_window_days") }} days'
            and o.effective_at <= a.effective_at
    ) as s
    cross join lateral (
        select
            count(distinct i.party_key) as payers,
            coalesce(sum(i.amount_usd), 0) as collected_usd,
            min(i.effective_at) as first_in_at,
            {{ evidence_ids('i', 'in_') }},
            array_agg(distinct i.account_code) as in_accounts
        from people_in as i
        where i.customer_id = a.customer_id
            and i.effective_at > a.effective_at - interval '{{ var("collections_window_days") }} days'
            and i.effective_at <= a.effective_at
    ) as c
    where c.payers >= {{ var('collections_min_payers') }}
        and s.sent_usd >= {{ var('collections_forward_min_usd') }}
        and s.sent_usd >= {{ var('collections_forward_share') }} * c.collected_usd
        -- money collected for a bill: a family's collection that pays a funeral home, a hospital (a biller by
        -- name, first paid since the collection began) for at least `collections_bill_share` of it
        and not {{ pays_new_biller(
            'flows', 'a.customer_id', 'least(c.first_in_at, s.first_sent_at)',
            "a.effective_at + interval '" ~ var('collections_bill_days') ~ " days'",
            var('collections_bill_share') ~ ' * c.collected_usd'
        ) }}
),

collection_episodes as (
    {{ overlapping_as_one(
        'collection_windows', 'customer_id', 'anchor_at, anchor_journal_id',
        'least(first_in_at, first_sent_at)', 'anchor_at'
    ) }}
),

collections as (
    -- the episode's widest window (most payers, then the latest) speaks for it
    select distinct on (customer_id, episode)
        'COLLECTIONS_SENT_ABROAD'::text as rule,
        md5('COLLECTIONS_SENT_ABROAD:' || customer_id || ':' || anchor_journal_id) as alert_id,
        customer_id,
        array[customer_id] as customer_ids,
        least(first_in_at, first_sent_at) as first_at,
        anchor_at as last_at,
        collected_usd + sent_usd as total_amount_usd,
        array(select distinct unnest(in_accounts || out_accounts) order by 1) as account_codes,
        in_journal_ids || out_journal_ids as journal_ids,
        in_reference_ids || out_reference_ids as reference_ids,
        jsonb_build_object(
            'payers', payers,
            'collected_usd', trim_scale(round(collected_usd::numeric, 2))::text,
            'sent_abroad_usd', trim_scale(round(sent_usd::numeric, 2))::text,
            'sent_share', round((sent_usd / nullif(collected_usd, 0))::numeric, 4),
            'recipients', to_jsonb(recipients),
            'countries', to_jsonb(countries),
            'days', round(extract(epoch from anchor_at - least(first_in_at, first_sent_at)) / 86400, 1)
        ) as details
    from collection_episodes
    order by customer_id, episode, payers desc, anchor_at desc, anchor_journal_id
),

-- CORPORATE_PAYMENTS_TO_PERSON ------------------------------------------------------------------------------
company_in as not materialized (
    select
        *,
        -- companies abroad are judged together: money from several of them, each new, is one source to explain
        case when party_country is not null and party_country <> customer_country then 'ABROAD' else party_key end
            as payer_group
    from flows
    where flow = 'IN'
        and segment <> 'SMALL_BUSINESS'
        and channel in ('WIRE', 'ACH')
        and is_common_party is not true
        and coalesce({{ is_company_name('party_label') }}, false)
        -- an insurer at home paying a claim: money owed to the customer, not fees (a captive insurer abroad is judged)
        and not (
            coalesce({{ has_word_of('party_label', 'settlement_payer_words') }}, false)
            and (party_country is null or party_country = customer_country)
        )
),

corporate_windows as (
    select
        a.customer_id,
        a.payer_group,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        min(p.party_label) as payer,
        array_agg(distinct p.party_label) as payers,
        min(p.party_country) as payer_country,
        count(*) as payments,
        sum(p.amount_usd) as paid_usd,
        min(p.effective_at) as first_paid_at,
        {{ evidence_ids('p') }},
        array_agg(distinct p.account_code) as accounts
    from company_in as a
    join company_in as p
        on p.customer_id = a.customer_id
        and p.payer_group = a.payer_group
        and p.effective_at > a.effective_at - interval '{{ var("corporate_inflow_window_days") }} days'
        and p.effective_at <= a.effective_at
        -- payers new to the customer: their first payment falls in the window
        and p.party_first_at > a.effective_at - interval '{{ var("corporate_inflow_window_days") }} days'
    where a.party_first_at > a.effective_at - interval '{{ var("corporate_inflow_window_days") }} days'
    group by a.customer_id, a.payer_group, a.journal_id, a.effective_at
    having count(*) >= {{ var('corporate_inflow_min_payments') }}
        and sum(p.amount_usd) >= {{ var('corporate_inflow_min_usd') }}
),

-- one alert per company and episode: two companies paying in overlapping weeks are two schemes to review
corporate_episodes as (
    {{ overlapping_as_one(
        'corporate_windows', 'customer_id, payer_group', 'anchor_at, anchor_journal_id', 'first_paid_at', 'anchor_at'
    ) }}
),

corporate as (
    select distinct on (customer_id, payer_group, episode)
        'CORPORATE_PAYMENTS_TO_PERSON'::text as rule,
        md5('CORPORATE_PAYMENTS_TO_PERSON:' || customer_id || ':' || anchor_journal_id) as alert_id,
        customer_id,
        array[customer_id] as customer_ids,
        first_paid_at as first_at,
        anchor_at as last_at,
        paid_usd as total_amount_usd,
        accounts as account_codes,
        journal_ids,
        reference_ids,
        jsonb_build_object(
            'payer', payer,
            'payers', to_jsonb(payers),
            'payer_country', payer_country,
            'payments', payments,
            'paid_usd', trim_scale(round(paid_usd::numeric, 2))::text,
            'days', round(extract(epoch from anchor_at - first_paid_at) / 86400, 1)
        ) as details
    from corporate_episodes
    order by customer_id, payer_group, episode, paid_usd desc, anchor_at desc, anchor_journal_id
),

-- OFFSHORE_THIRD_PARTY_PAYMENTS -----------------------------------------------------------------------------
-- wires from companies abroad (read by the offshore and front-company rules)
company_wires_from_abroad as not materialized (
    select *
    from flows
    where flow = 'IN'
        and channel = 'WIRE'
        and party_country <> customer_country
        and coalesce({{ is_company_name('party_label') }}, false)
),

offshore_in as not materialized (
    select f.*
    from company_wires_from_abroad as f
    join offshore as o on o.country = f.party_country
),

offshore_windows as (
    select
        a.customer_id,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        a.party_label as payer,
        a.party_country as payer_country,
        r.received_usd,
        r.in_journal_ids,
        r.in_reference_ids,
        s.payees,
        s.payee_labels,
        s.spent_usd,
        s.last_paid_at,
        s.out_journal_ids,
        s.out_reference_ids,
        array(select distinct x from unnest(a.account_code || s.out_accounts) as x order by 1) as accounts
    from offshore_in as a
    cross join lateral (
        -- what that company sent in the window (one wire split in two is one source)
        select
            sum(i.amount_usd) as received_usd,
            {{ evidence_ids('i', 'in_') }}
        from offshore_in as i
        where i.customer_id = a.customer_id
            and i.party_key = a.party_key
            and i.effective_at >= a.effective_at
            and i.effective_at < a.effective_at + interval '{{ var("offshore_spend_days") }} days'
    ) as r
    cross join lateral (
        select
            count(distinct o.party_key) as payees,
            array_agg(distinct o.party_label) as payee_labels,
            sum(o.amount_usd) as spent_usd,
            max(o.effective_at) as last_paid_at,
            {{ evidence_ids('o', 'out_') }},
            array_agg(distinct o.account_code) as out_accounts
        from flows as o
        where o.customer_id = a.customer_id
            and o.flow = 'OUT'
            and o.party_key <> a.party_key
            and (o.is_business_trade or o.is_refund) is not true
            and o.channel not in ('CASH_WITHDRAWAL')
            and not {{ is_own_name_party('o') }}
            and o.effective_at >= a.effective_at
            and o.effective_at < a.effective_at + interval '{{ var("offshore_spend_days") }} days'
    ) as s
    where a.amount_usd >= {{ var('offshore_min_usd') }}
        and s.payees >= {{ var('offshore_min_payees') }}
        and s.spent_usd >= {{ var('offshore_spend_share') }} * r.received_usd
),

offshore_episodes as (
    {{ overlapping_as_one(
        'offshore_windows', 'customer_id', 'anchor_at, anchor_journal_id', 'anchor_at', 'last_paid_at'
    ) }}
),

offshore_spent as (
    select distinct on (customer_id, episode)
        'OFFSHORE_THIRD_PARTY_PAYMENTS'::text as rule,
        md5('OFFSHORE_THIRD_PARTY_PAYMENTS:' || customer_id || ':' || anchor_journal_id) as alert_id,
        customer_id,
        array[customer_id] as customer_ids,
        anchor_at as first_at,
        last_paid_at as last_at,
        received_usd + spent_usd as total_amount_usd,
        accounts as account_codes,
        in_journal_ids || out_journal_ids as journal_ids,
        in_reference_ids || out_reference_ids as reference_ids,
        jsonb_build_object(
            'payer', payer,
            'payer_country', payer_country,
            'received_usd', trim_scale(round(received_usd::numeric, 2))::text,
            'spent_usd', trim_scale(round(spent_usd::numeric, 2))::text,
            'spent_share', round((spent_usd / received_usd)::numeric, 4),
            'payees', to_jsonb(payee_labels),
            'days', round(extract(epoch from last_paid_at - anchor_at) / 86400, 1)
        ) as details
    from offshore_episodes
    order by customer_id, episode, payees desc, anchor_at, anchor_journal_id
),

-- FRONT_COMPANY_PAYOUTS ---------------------------------------------------------------------------------------
-- wires from companies abroad to a business
front_in as not materialized (
    select * from company_wires_from_abroad where segment = 'SMALL_BUSINESS'
),

front_windows as (
    select
        a.customer_id,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        r.received_usd,
        r.payers,
        r.in_journal_ids,
        r.in_reference_ids,
        s.payments,
        s.paid_usd,
        s.payee_labels,
        s.countries,
        s.cash_usd,
        s.last_paid_at,
        s.out_journal_ids,
        s.out_reference_ids,
        array(select distinct x from unnest(r.in_accounts || s.out_accounts) as x order by 1) as accounts
    from front_in as a
    cross join lateral (
        -- what companies abroad sent in the window
        select
            sum(i.amount_usd) as received_usd,
            array_agg(distinct i.party_label) as payers,
            {{ evidence_ids('i', 'in_') }},
            array_agg(distinct i.account_code) as in_accounts
        from front_in as i
        where i.customer_id = a.customer_id
            and i.effective_at >= a.effective_at
            and i.effective_at < a.effective_at + interval '{{ var("front_company_days") }} days'
    ) as r
    cross join lateral (
        -- what left in cash, or to people abroad (not companies, not accounts of the customer's own name)
        select
            count(*) as payments,
            sum(o.amount_usd) as paid_usd,
            coalesce(sum(o.amount_usd) filter (where o.channel = 'CASH_WITHDRAWAL'), 0) as cash_usd,
            array_agg(distinct o.party_label) filter (where o.channel <> 'CASH_WITHDRAWAL') as payee_labels,
            array_agg(distinct o.party_country) filter (where o.channel <> 'CASH_WITHDRAWAL') as countries,
            max(o.effective_at) as last_paid_at,
            {{ evidence_ids('o', 'out_') }},
            array_agg(distinct o.account_code) as out_accounts
        from flows as o
        where o.customer_id = a.customer_id
            and o.flow = 'OUT'
            and o.effective_at >= a.effective_at
            and o.effective_at < a.effective_at + interval '{{ var("front_company_days") }} days'
            and (
                o.channel = 'CASH_WITHDRAWAL'
                or o.channel in ('WIRE', 'ACH', 'P2P')
                and o.party_country <> o.customer_country
                and not coalesce({{ is_company_name('o.party_label') }}, false)
                and not {{ is_own_name_party('o') }}
            )
    ) as s
    where r.received_usd >= {{ var('front_company_min_usd') }}
        and s.payments >= {{ var('front_company_min_payments') }}
        and s.paid_usd >= {{ var('front_company_paid_share') }} * r.received_usd
),

front_episodes as (
    {{ overlapping_as_one(
        'front_windows', 'customer_id', 'anchor_at, anchor_journal_id', 'anchor_at', 'last_paid_at'
    ) }}
),

front_payouts as (
    select distinct on (customer_id, episode)
        'FRONT_COMPANY_PAYOUTS'::text as rule,
        md5('FRONT_COMPANY_PAYOUTS:' || customer_id || ':' || anchor_journal_id) as alert_id,
        customer_id,
        array[customer_id] as customer_ids,
        anchor_at as first_at,
        last_paid_at as last_at,
        received_usd + paid_usd as total_amount_usd,
        accounts as account_codes,
        in_journal_ids || out_journal_ids as journal_ids,
        in_reference_ids || out_reference_ids as reference_ids,
        jsonb_build_object(
            'payers', to_jsonb(payers),
            'received_usd', trim_scale(round(received_usd::numeric, 2))::text,
            'paid_usd', trim_scale(round(paid_usd::numeric, 2))::text,
            'paid_share', round((paid_usd / received_usd)::numeric, 4),
            'cash_usd', trim_scale(round(cash_usd::numeric, 2))::text,
            'people_abroad', coalesce(to_jsonb(payee_labels), '[]'::jsonb),
            'countries', coalesce(to_jsonb(countries), '[]'::jsonb),
            'days', round(extract(epoch from last_paid_at - anchor_at) / 86400, 1)
        ) as details
    from front_episodes
    order by customer_id, episode, paid_usd desc, anchor_at, anchor_journal_id
),

-- FOREIGN_FUNDED_PROPERTY_PURCHASE --------------------------------------------------------------------------
-- wires from abroad to a company (any payer abroad: a company, a person)
company_foreign_in as not materialized (
    select *
    from flows
    where flow = 'IN'
        and channel = 'WIRE'
        and segment = 'SMALL_BUSINESS'
        and party_country is not null
        and party_country <> customer_country
),

property_windows as (
    select
        a.customer_id,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        r.received_usd,
        r.payers,
        r.countries,
        r.in_journal_ids,
        r.in_reference_ids,
        r.in_accounts,
        p.paid_usd,
        p.closing_agents,
        p.last_paid_at,
        p.out_journal_ids,
        p.out_reference_ids,
        p.out_accounts
    from company_foreign_in as a
    cross join lateral (
        select
            sum(i.amount_usd) as received_usd,
            array_agg(distinct i.party_label) as payers,
            array_agg(distinct i.party_country) as countries,
            {{ evidence_ids('i', 'in_') }},
            array_agg(distinct i.account_code) as in_accounts
        from company_foreign_in as i
        where i.customer_id = a.customer_id
            and i.effective_at >= a.effective_at
            and i.effective_at < a.effective_at + interval '{{ var("property_purchase_days") }} days'
    ) as r
    cross join lateral (
        -- to a title or escrow company: a property's earnest money and closing funds
        select
            coalesce(sum(o.amount_usd), 0) as paid_usd,
            array_agg(distinct o.party_label) as closing_agents,
            max(o.effective_at) as last_paid_at,
            {{ evidence_ids('o', 'out_') }},
            array_agg(distinct o.account_code) as out_accounts
        from flows as o
        where o.customer_id = a.customer_id
            and o.flow = 'OUT'
            and o.channel in ('WIRE', 'ACH')
            and coalesce({{ has_word_of('o.party_label', 'property_closing_words') }}, false)
            and o.effective_at > a.effective_at
            and o.effective_at < a.effective_at + interval '{{ var("property_purchase_days") }} days'
    ) as p
    where r.received_usd >= {{ var('property_min_usd') }}
        and p.paid_usd >= {{ var('property_funded_share') }} * r.received_usd
),

property_episodes as (
    {{ overlapping_as_one(
        'property_windows', 'customer_id', 'anchor_at, anchor_journal_id', 'anchor_at', 'last_paid_at'
    ) }}
),

property_purchases as (
    -- the episode's first window (all the money from abroad that the purchase used) speaks for it
    select distinct on (customer_id, episode)
        'FOREIGN_FUNDED_PROPERTY_PURCHASE'::text as rule,
        md5('FOREIGN_FUNDED_PROPERTY_PURCHASE:' || customer_id || ':' || anchor_journal_id) as alert_id,
        customer_id,
        array[customer_id] as customer_ids,
        anchor_at as first_at,
        last_paid_at as last_at,
        received_usd + paid_usd as total_amount_usd,
        array(select distinct x from unnest(in_accounts || out_accounts) as x order by 1) as account_codes,
        in_journal_ids || out_journal_ids as journal_ids,
        in_reference_ids || out_reference_ids as reference_ids,
        jsonb_build_object(
            'payers_abroad', to_jsonb(payers),
            'countries', to_jsonb(countries),
            'received_usd', trim_scale(round(received_usd::numeric, 2))::text,
            'paid_to_closing_usd', trim_scale(round(paid_usd::numeric, 2))::text,
            'closing_agents', to_jsonb(closing_agents),
            'days', round(extract(epoch from last_paid_at - anchor_at) / 86400, 1)
        ) as details
    from property_episodes
    order by customer_id, episode, anchor_at, anchor_journal_id
),

-- CRYPTO_PROCEEDS_CASHED_OUT --------------------------------------------------------------------------------
crypto_sales as not materialized (
    select *
    from flows
    where flow = 'IN' and party_key = 'CRYPTO' and segment <> 'SMALL_BUSINESS'
),

crypto_buys as not materialized (
    select *
    from flows
    where flow = 'OUT' and party_key = 'CRYPTO' and segment <> 'SMALL_BUSINESS'
),

cash_outs as not materialized (
    select f.*
    from flows as f
    where f.flow = 'OUT'
        and f.segment <> 'SMALL_BUSINESS'
        and (
            f.channel = 'CASH_WITHDRAWAL'
            or f.channel in ('P2P', 'ACH', 'WIRE') and f.is_common_party is not true and f.is_biller is not true
        )
        and not {{ is_own_name_party('f') }}
),

crypto_windows as (
    select
        a.customer_id,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        w.sales,
        w.sold_usd,
        w.first_sold_at,
        w.in_journal_ids,
        w.in_reference_ids,
        w.in_accounts,
        o.paid_usd,
        o.away_usd,
        o.last_paid_at,
        o.channels,
        o.out_journal_ids,
        o.out_reference_ids,
        o.out_accounts,
        b.bought_usd
    from crypto_sales as a
    cross join lateral (
        select
            count(*) as sales,
            sum(i.amount_usd) as sold_usd,
            min(i.effective_at) as first_sold_at,
            {{ evidence_ids('i', 'in_') }},
            array_agg(distinct i.account_code) as in_accounts
        from crypto_sales as i
        where i.customer_id = a.customer_id
            and i.effective_at > a.effective_at - interval '{{ var("crypto_cashout_window_days") }} days'
            and i.effective_at <= a.effective_at
    ) as w
    cross join lateral (
        select
            coalesce(sum(c.amount_usd), 0) as paid_usd,
            -- out of reach: cash, or abroad to a party first paid since the coins were sold (a payment whose
            -- country the bank was not told is taken to stay at home)
            coalesce(sum(c.amount_usd) filter (
                where c.channel = 'CASH_WITHDRAWAL'
                    or (c.party_country <> c.customer_country and c.party_first_at >= w.first_sold_at)
            ), 0) as away_usd,
            max(c.effective_at) as last_paid_at,
            array_agg(distinct c.channel) as channels,
            {{ evidence_ids('c', 'out_') }},
            array_agg(distinct c.account_code) as out_accounts
        from cash_outs as c
        where c.customer_id = a.customer_id
            and c.effective_at >= w.first_sold_at
            and c.effective_at < a.effective_at + interval '{{ var("crypto_cashout_days") }} days'
    ) as o
    cross join lateral (
        -- coins bought here with fiat before (a trader selling its own purchases)
        select coalesce(sum(p.amount_usd), 0) as bought_usd
        from crypto_buys as p
        where p.customer_id = a.customer_id
            and p.effective_at >= w.first_sold_at - interval '{{ var("crypto_cashout_lookback_days") }} days'
            and p.effective_at <= a.effective_at
    ) as b
    where (
            w.sales >= {{ var('crypto_cashout_min_sales') }}
            and w.sold_usd - b.bought_usd >= {{ var('crypto_cashout_min_usd') }}
            and o.paid_usd >= {{ var('crypto_cashout_share') }} * w.sold_usd
        )
        -- a lump of coins from elsewhere, part of it sent out of reach at once
        or (
            w.sold_usd - b.bought_usd >= {{ var('crypto_cashout_lump_usd') }}
            and o.away_usd >= {{ var('crypto_cashout_away_share') }} * (w.sold_usd - b.bought_usd)
        )
),

crypto_episodes as (
    {{ overlapping_as_one(
        'crypto_windows', 'customer_id', 'anchor_at, anchor_journal_id', 'first_sold_at', 'last_paid_at'
    ) }}
),

crypto_cashed as (
    select distinct on (customer_id, episode)
        'CRYPTO_PROCEEDS_CASHED_OUT'::text as rule,
        md5('CRYPTO_PROCEEDS_CASHED_OUT:' || customer_id || ':' || anchor_journal_id) as alert_id,
        customer_id,
        array[customer_id] as customer_ids,
        first_sold_at as first_at,
        greatest(last_paid_at, anchor_at) as last_at,
        sold_usd + paid_usd as total_amount_usd,
        array(select distinct x from unnest(in_accounts || out_accounts) as x order by 1) as account_codes,
        in_journal_ids || out_journal_ids as journal_ids,
        in_reference_ids || out_reference_ids as reference_ids,
        jsonb_build_object(
            'sales', sales,
            'sold_usd', trim_scale(round(sold_usd::numeric, 2))::text,
            'bought_here_usd', trim_scale(round(bought_usd::numeric, 2))::text,
            'paid_out_usd', trim_scale(round(paid_usd::numeric, 2))::text,
            'paid_out_share', round((paid_usd / sold_usd)::numeric, 4),
            'out_of_reach_usd', trim_scale(round(away_usd::numeric, 2))::text,
            'channels', to_jsonb(channels),
            'days', round(extract(epoch from greatest(last_paid_at, anchor_at) - first_sold_at) / 86400, 1)
        ) as details
    from crypto_episodes
    order by customer_id, episode, sales desc, anchor_at desc, anchor_journal_id
),

-- INSURANCE_EARLY_SURRENDER --------------------------------------------------------------------------------
-- premiums: a large payment to an insurer (by a word of its name)
premiums as not materialized (
    select f.*, {{ normalise_name('f.party_label') }} as insurer
    from flows as f
    where f.flow = 'OUT'
        and f.channel in ('ACH', 'WIRE', 'P2P')
        and f.amount_usd >= {{ var('insurance_min_premium_usd') }}
        and coalesce({{ has_word_of('f.party_label', 'insurer_name_words') }}, false)
),

surrenders as (
    select
        p.customer_id,
        p.journal_id as premium_journal_id,
        p.reference_id as premium_reference_id,
        p.account_code as premium_account,
        p.effective_at as premium_at,
        p.amount_usd as premium_usd,
        p.party_label as insurer_name,
        r.refund_usd,
        r.refunded_at,
        r.in_journal_ids,
        r.in_reference_ids,
        r.in_accounts,
        s.funded_usd,
        s.funders,
        s.src_journal_ids,
        s.src_reference_ids,
        s.src_accounts
    from premiums as p
    cross join lateral (
        -- what the same insurer paid back (a free-look cancellation, a surrender, a premium overpaid and refunded)
        select
            sum(i.amount_usd) as refund_usd,
            max(i.effective_at) as refunded_at,
            {{ evidence_ids('i', 'in_') }},
            array_agg(distinct i.account_code) as in_accounts
        from flows as i
        where i.customer_id = p.customer_id
            and i.flow = 'IN'
            and {{ normalise_name('i.party_label') }} = p.insurer
            and i.effective_at > p.effective_at
            and i.effective_at <= p.effective_at + interval '{{ var("insurance_surrender_days") }} days'
    ) as r
    cross join lateral (
        -- what others paid the customer in the days before the premium (cash paid in, a third party here or abroad;
        -- not accounts of its own name, its employer or another common party, nor an insurer paying out a policy)
        select
            coalesce(sum(m.amount_usd), 0) as funded_usd,
            array_agg(distinct m.party_label) as funders,
            {{ evidence_ids('m', 'src_') }},
            array_agg(distinct m.account_code) as src_accounts
        from flows as m
        where m.customer_id = p.customer_id
            and m.flow = 'IN'
            and m.effective_at >= p.effective_at - interval '{{ var("insurance_funding_days") }} days'
            and m.effective_at < p.effective_at
            and m.is_common_party is not true
            and m.party_key <> 'CRYPTO'
            and not coalesce({{ has_word_of('m.party_label', 'insurer_name_words') }}, false)
            and not coalesce({{ has_word_of('m.party_label', 'brokerage_name_words') }}, false)
            and not {{ is_own_name_account('m') }}
    ) as s
    where r.refund_usd >= {{ var('insurance_refund_share') }} * p.amount_usd
        and s.funded_usd >= {{ var('insurance_funded_share') }} * p.amount_usd
),

-- premiums whose spans (premium to last refund) overlap are one alert: a second premium to the same insurer claims
-- the same refund and the same funding
surrender_episodes as (
    {{ overlapping_as_one(
        'surrenders', 'customer_id', 'premium_at, premium_journal_id', 'premium_at', 'refunded_at'
    ) }}
),

surrender_alerts as (
    -- the episode's largest premium speaks for it
    select distinct on (customer_id, episode)
        'INSURANCE_EARLY_SURRENDER'::text as rule,
        md5('INSURANCE_EARLY_SURRENDER:' || customer_id || ':' || premium_journal_id) as alert_id,
        customer_id,
        array[customer_id] as customer_ids,
        premium_at as first_at,
        refunded_at as last_at,
        premium_usd + refund_usd as total_amount_usd,
        array(select distinct x from unnest(src_accounts || premium_account || in_accounts) as x order by 1)
            as account_codes,
        src_journal_ids || premium_journal_id || in_journal_ids as journal_ids,
        src_reference_ids || premium_reference_id || in_reference_ids as reference_ids,
        jsonb_build_object(
            'insurer', insurer_name,
            'premium_usd', trim_scale(round(premium_usd::numeric, 2))::text,
            'refund_usd', trim_scale(round(refund_usd::numeric, 2))::text,
            'refund_share', round((refund_usd / premium_usd)::numeric, 4),
            'days_held', round(extract(epoch from refunded_at - premium_at) / 86400, 1),
            'funded_by', to_jsonb(funders),
            'funded_usd', trim_scale(round(funded_usd::numeric, 2))::text
        ) as details
    from surrender_episodes
    order by customer_id, episode, premium_usd desc, premium_at, premium_journal_id
),

alerts as (
    select * from collections
    union all
    select * from crypto_cashed
    union all
    select * from corporate
    union all
    select * from offshore_spent
    union all
    select * from property_purchases
    union all
    select * from front_payouts
    union all
    select * from surrender_alerts
)

{{ alert_rows('alerts') }}
