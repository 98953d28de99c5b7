-- Loans and grants to a business that go to its owner's pocket (family `lending_fraud`).
--   LOAN_PROCEEDS_DIVERTED (FFIEC BSA/AML manual, lending activities: "loan proceeds used for unexpected purposes";
--       FinCEN's trend analysis of COVID-19 relief fraud and the SBA Inspector General's reports on EIDL and PPP
--       fraud: shells opened for a disaster loan or a relief grant, the money moved to the owner's personal account
--       within days, then spent on cars and luxury goods, sent to crypto exchanges and drawn in cash): a business
--       (segment SMALL_BUSINESS) receives at least `loan_diversion_min_usd` by ACH or wire as a loan or a grant (the
--       reference has a word of `loan_grant_description_words`, or the payer's name one of `lender_name_words`; not
--       an account of its own name), when everything else paid to it over the `loan_diversion_lookback_days` before
--       (other loans and grants by their references aside) was less than
--       `loan_diversion_trade_share` of it (there is no trade the money is for), and within
--       `loan_diversion_days` pays at least `loan_diversion_share` of it to people (other customers who are not
--       businesses, or outside parties whose names are not an organisation's; not in a payroll batch of
--       `business_batch_min_payments` payments on one day), to crypto or in cash. A bakery's equipment loan pays the
--       oven's maker; a business with takings of its own pays its wages out of them, in a payroll run. The alert
--       names the payer, the people paid (by how the payments name them; customers of the bank among the alert's
--       customers), what went to crypto and to cash.
-- One alert per loan or grant; loans whose diversions overlap are one alert.
with flows as not materialized (
    select * from {{ ref('int_customer_flows') }}
    where segment = 'SMALL_BUSINESS'
),

loans as (
    select l.*
    from flows as l
    where l.flow = 'IN'
        and l.channel in ('ACH', 'WIRE')
        and l.amount_usd >= {{ var('loan_diversion_min_usd') }}
        and (
            coalesce({{ has_word_of('l.description', 'loan_grant_description_words') }}, false)
            or coalesce({{ has_word_of('l.party_label', 'lender_name_words') }}, false)
        )
        and not {{ is_own_name_account('l') }}
        -- trade: what else was paid to it before (other loans and grants by their references are no takings: relief
        -- loans stacked one after another; a car dealer's lenders buying its sales contracts pay for its trade, and
        -- its own money from elsewhere is the capital it trades on)
        and (
            select coalesce(sum(o.amount_usd), 0)
            from flows as o
            where o.customer_id = l.customer_id
                and o.flow = 'IN'
                and o.journal_id <> l.journal_id
                and o.effective_at >= l.effective_at - interval '{{ var("loan_diversion_lookback_days") }} days'
                and o.effective_at < l.effective_at
                and not (
                    o.channel in ('ACH', 'WIRE')
                    and coalesce({{ has_word_of('o.description', 'loan_grant_description_words') }}, false)
                )
        ) < {{ var('loan_diversion_trade_share') }} * l.amount_usd
),

-- what left for people, crypto or cash within the days after each loan
diverted as (
    select
        l.customer_id,
        l.journal_id as loan_journal_id,
        l.reference_id as loan_reference_id,
        l.account_code as loan_account_code,
        l.effective_at as loan_at,
        l.amount_usd as loan_usd,
        l.party_label as payer,
        sum(p.amount_usd) as diverted_usd,
        sum(p.amount_usd) filter (where p.channel = 'CRYPTO') as crypto_usd,
        sum(p.amount_usd) filter (where p.channel = 'CASH_WITHDRAWAL') as cash_usd,
        max(p.effective_at) as last_at,
        -- the people as the payments name them (an account of the business's own name elsewhere by that only: the
        -- name is the customer's)
        array_agg(distinct case when {{ is_own_name_account('p') }} then 'own account elsewhere' else p.party_label end)
            filter (where p.channel not in ('CRYPTO', 'CASH_WITHDRAWAL')) as people,
        array_agg(distinct c.customer_id) filter (where c.customer_id is not null) as people_customer_ids,
        array_agg(p.journal_id order by p.effective_at, p.journal_id) as journal_ids,
        array_agg(p.reference_id order by p.effective_at, p.journal_id) as reference_ids,
        array_agg(distinct p.account_code) as account_codes
    from loans as l
    join flows as p
        on p.customer_id = l.customer_id
        and p.flow = 'OUT'
        and p.effective_at > l.effective_at
        and p.effective_at <= l.effective_at + interval '{{ var("loan_diversion_days") }} days'
    -- another customer of the bank, whatever the rail (an on-us ACH or wire to the owner's account here too)
    left join {{ ref('stg_ledger__customers') }} as c
        on p.party_key = 'C' || c.customer_id
    where (
            p.channel in ('CRYPTO', 'CASH_WITHDRAWAL')
            or p.channel in ('P2P', 'ACH', 'WIRE')
            and not {{ in_payment_batch('p', "'ACH', 'P2P'") }}
            and (
                c.customer_id is not null and c.segment <> 'SMALL_BUSINESS'
                or c.customer_id is null and {{ is_outside_party('p.party_key') }} and not p.is_organisation
            )
        )
    group by l.customer_id, l.journal_id, l.reference_id, l.account_code, l.effective_at, l.amount_usd, l.party_label
    having sum(p.amount_usd) >= {{ var('loan_diversion_share') }} * l.amount_usd
),

episodes as (
    {{ overlapping_as_one('diverted', 'customer_id', 'loan_at, loan_journal_id', 'loan_at', 'last_at') }}
),

-- the episode's largest loan speaks for it
loan_diversion as (
    select distinct on (customer_id, episode)
        'LOAN_PROCEEDS_DIVERTED'::text as rule,
        md5('LOAN_PROCEEDS_DIVERTED:' || customer_id || ':' || loan_journal_id) as alert_id,
        customer_id,
        array[customer_id] || coalesce(people_customer_ids, '{}') as customer_ids,
        loan_at as first_at,
        last_at,
        loan_usd as total_amount_usd,
        array(select distinct a from unnest(account_codes || loan_account_code) as a order by a) as account_codes,
        loan_journal_id || journal_ids as journal_ids,
        loan_reference_id || reference_ids as reference_ids,
        jsonb_build_object(
            'payer', payer,
            'loan_usd', trim_scale(round(loan_usd::numeric, 2))::text,
            'diverted_usd', trim_scale(round(diverted_usd::numeric, 2))::text,
            'diverted_share', round((diverted_usd / loan_usd)::numeric, 4),
            'people', coalesce(to_jsonb(people), '[]'::jsonb),
            'crypto_usd', trim_scale(round(coalesce(crypto_usd, 0)::numeric, 2))::text,
            'cash_usd', trim_scale(round(coalesce(cash_usd, 0)::numeric, 2))::text,
            'days', round(extract(epoch from last_at - loan_at) / 86400, 1)
        ) as details
    from episodes
    order by customer_id, episode, loan_usd desc, loan_at, loan_journal_id
)

{{ alert_rows('loan_diversion') }}
