-- Money that reaches or leaves a customer, one row per customer and journal: transfers (cash, ACH,
-- wire, P2P) with a party on the other side, and crypto bought (OUT, party `CRYPTO`) or sold (IN): the
-- network, funnel, aggregation and dormancy rules read this. Movements between one customer's own
-- accounts, card payments, fiat conversions, fees and reversals are not flows.
--   party_first_at  when this customer first dealt with this party (its first flow with it, by its account)
--   payee_first_at  for a payment out, when the customer first paid this payee by its account or by its name: a
--                   supplier paid at another account each time is a payee of old (FAN_OUT's new recipients). Never a
--                   test of a new account (a redirected invoice, a takeover's payee): those read party_first_at
--   same_day_count  the customer's flows of this direction and channel on this business day (a payroll batch)
--   customer_country the customer's country (a party whose country differs is abroad)
--   description     the payment's reference as the payer wrote it ("RENT JAN"); none for crypto
--   is_common_party the party is an employer, biller or agent of many customers (int_common_parties; paid by its
--                   name alone, not by P2P, the common party known by its account that goes by that name), or a
--                   broker-dealer at home (a word of `brokerage_name_words` in its name) by ACH or wire, money sent to
--                   it or, once the customer had sent it money, taken back from it (its own, invested), or a
--                   biller however few pay it (its name in the merchant catalogue under `biller_categories`,
--                   or with a word of `biller_name_words` or `insurer_name_words`), or the ACH payment says what
--                   everyday thing it is (its description has a word of `everyday_description_words`: rent, a bill,
--                   pay)
--   is_biller       the latter two (by its name: only money paid to it): money paid to it is spent, not moved on
--   is_named_biller an outside party that is a biller by its name (the catalogue, `biller_name_words`,
--                   `insurer_name_words`), paying or paid
--   is_organisation an outside party whose name is a company's (is_company_name) or a biller's (the catalogue, or
--                   `biller_name_words`, `insurer_name_words`: a utility, a government agency, an insurer), paying or
--                   paid
--   is_refund       a payment back to the account of a party that paid the customer in the `refund_lookback_days`
--                   before, while what went back to it there (this payment included) stays within what it paid in:
--                   a landlord returning a deposit, a seller a customer's payment. Its own money going back, not money
--                   moved on: the pass-through rules leave it out as they leave out business trade
--   is_business_trade  a small business's ACH receipt (clients' invoices), or its ACH payment in a batch of
--                   at least `business_batch_min_payments` on one business day (payroll) or to a party it
--                   had paid before (suppliers), or its ACH or wire to a company (at home, or abroad and first
--                   paid at least `business_known_party_days` before: a new payee abroad is judged), or its P2P payments to
--                   people in a batch of at least `business_batch_min_payments` on one business day (staff
--                   paid by P2P), while it trades (money came in on at least `business_supplier_income_days`
--                   business days of the `business_supplier_lookback_days` before: a shop paying its
--                   wholesalers out of its takings, a business paying its staff out of its clients' money); or,
--                   whenever it comes, a commission agency's split of a commission (`commission_splits`). The
--                   pass-through rules (funnel, fan-out, bipartite, velocity, round trip, a large receipt moved on,
--                   cash moved on, an offshore company's money spent) do not count it as money moved on; a business
--                   scattering one lump to people or to new companies when nothing else comes in, or by cash or
--                   crypto, is still judged.
{{ config(indexes=[{'columns': ['customer_id', 'effective_at']}]) }}
with transfers as (
    select
        m.journal_id,
        m.reference_id,
        m.customer_id,
        m.account_id,
        m.account_code,
        m.currency,
        m.flow,
        m.channel,
        m.amount_usd,
        m.party_key,
        -- one outside payee by its name, whatever account it was paid at
        case when m.party_key like 'A:%' and m.counterparty is not null
            then 'N:' || {{ normalise_name('m.counterparty') }} else m.party_key end as party_identity,
        m.other_account_code,
        coalesce(m.counterparty, m.location, m.channel) as party_label,
        m.counterparty_country as party_country,
        m.location,
        m.description,
        m.effective_at,
        m.business_date
    from {{ ref('int_customer_movements') }} as m
    where m.journal_kind = 'TRANSFER'
        and m.channel in ('CASH_DEPOSIT', 'CASH_WITHDRAWAL', 'ACH', 'WIRE', 'P2P')
        and m.party_key is not null
),

-- the fiat side of a crypto purchase or sale (the fee line, a second OUT line, is left out)
crypto as (
    select distinct on (m.journal_id)
        m.journal_id,
        m.reference_id,
        m.customer_id,
        m.account_id,
        m.account_code,
        m.currency,
        m.flow,
        m.channel,
        m.amount_usd,
        'CRYPTO' as party_key,
        'CRYPTO' as party_identity,
        null::text as other_account_code,
        'CRYPTO' as party_label,
        null::text as party_country,
        null::text as location,
        null::text as description,
        m.effective_at,
        m.business_date
    from {{ ref('int_customer_movements') }} as m
    join {{ ref('stg_ledger__currencies') }} as c on c.currency = m.currency
    where m.journal_kind = 'CONVERSION' and m.channel = 'CRYPTO' and c.currency_kind = 'FIAT'
    order by m.journal_id, m.amount desc
),

flows as (
    select * from transfers
    union all
    select * from crypto
),

-- catalogue billers by name and known alias, spelled as plain lower-case words
catalogue_billers as (
    select {{ plain_words('m.name') }} as biller
    from {{ ref('merchants') }} as m
    where m.category in ({% for c in var('biller_categories') %}'{{ c }}'{{ ',' if not loop.last }}{% endfor %})
    union
    select {{ plain_words('a.alias') }}
    from {{ ref('merchant_aliases') }} as a
    join {{ ref('merchants') }} as m using (merchant_id)
    where a.kind in ('abbreviation', 'short_form', 'subsidiary', 'former_name')
        and m.category in ({% for c in var('biller_categories') %}'{{ c }}'{{ ',' if not loop.last }}{% endfor %})
    union
    -- banks and lenders: paying one is servicing a debt (the mortgage, the card bill, a student loan)
    select {{ plain_words('l.name') }}
    from {{ ref('lenders') }} as l
),

-- outside parties' names, each distinct one once, in plain words
party_names as (
    select n.party_label, {{ plain_words('n.party_label') }} as plain
    from (
        select distinct party_label
        from flows
        where {{ is_outside_party('party_key') }}
    ) as n
),

-- outside parties that are billers by name: a word of `biller_name_words` or `insurer_name_words`, or a catalogue
-- biller's name as the whole name or its leading words ("con edison" in "con edison co of ny"). Matched by equality on
-- each name's leading-word prefixes (a hash join), not by a pattern per name and biller.
biller_names as (
    select n.party_label
    from party_names as n
    where {{ has_word_of('n.party_label', 'biller_name_words') }}
        or {{ has_word_of('n.party_label', 'insurer_name_words') }}
    union
    select n.party_label
    from party_names as n
    cross join lateral (
        select array_to_string(w.words[1:k], ' ') as prefix
        from (select string_to_array(n.plain, ' ') as words) as w
        cross join generate_series(1, cardinality(w.words)) as k
    ) as p
    join catalogue_billers as b on b.biller = p.prefix
),

-- the names of common parties known by their account: a payment to one of them by its name alone (no account
-- given, party key N:) is to the same everyday party ("AvalonBay Communities", which a hundred tenants pay
-- by standing order). A name given with another account is another party (an invoice redirected to a new
-- account under a supplier's name is no supplier's).
-- Only the name the account goes by (at least half of its payments carry it): a pooled account paying on for
-- others carries its beneficiaries' names, none of them its own.
common_names as (
    select distinct {{ normalise_name('l.party_label') }} as name
    from (
        select
            f.party_key,
            f.party_label,
            count(*) as payments,
            sum(count(*)) over (partition by f.party_key) as all_payments
        from flows as f
        join {{ ref('int_common_parties') }} as p using (party_key)
        where f.party_key like 'A:%'
        group by f.party_key, f.party_label
    ) as l
    where l.payments >= 0.5 * l.all_payments
),

-- small businesses whose declared trade is commissions (`commission_agency_occupation_phrases`: a realty, an
-- insurance or talent agency), each customer read once
commission_agencies as (
    select c.customer_id
    from {{ ref('stg_ledger__customers') }} as c
    where c.segment = 'SMALL_BUSINESS'
        and {{ has_phrase_of('c.occupation', 'commission_agency_occupation_phrases') }}
),

-- broker-dealers by name (`brokerage_name_words`), each distinct name read once
broker_names as (
    select n.party_label
    from party_names as n
    where {{ has_word_of('n.party_label', 'brokerage_name_words') }}
),

with_parties as (
    select
        f.*,
        c.segment,
        c.country as customer_country,
        min(f.effective_at) over (partition by f.customer_id, f.party_key) as party_first_at,
        case when f.flow = 'OUT' then least(
            min(f.effective_at) over (partition by f.customer_id, f.party_key),
            min(f.effective_at) filter (where f.flow = 'OUT') over (partition by f.customer_id, f.party_identity)
        ) end as payee_first_at,
        count(*) over (partition by f.customer_id, f.flow, f.channel, f.business_date) as same_day_count,
        -- a payment back to the account of a party that paid the customer in the `refund_lookback_days` before, no
        -- more than it paid beyond what went back to it already (this payment included; without a payment in the
        -- balance is negative): its own money returned. By account, not by name: money in from one account of a
        -- name and out to another (abroad) is judged
        f.flow = 'OUT' and f.party_key not in ('CASH', 'CRYPTO') and coalesce(
            sum(case when f.flow = 'IN' then f.amount_usd else -f.amount_usd end) over (
                partition by f.customer_id, f.party_key order by f.effective_at
                range between interval '{{ var("refund_lookback_days") }} days' preceding and current row
            ), -1) >= 0 as is_refund,
        g.customer_id is not null as is_commission_agency,
        -- a biller by its name is one money is paid to (a "... Properties" paying in is no landlord's bill)
        b.party_label is not null and f.flow = 'OUT'
            -- the words of a standing order or direct debit (a P2P or wire memo is whatever the payer typed)
            or f.channel = 'ACH'
            and coalesce({{ has_word_of('f.description', 'everyday_description_words') }}, false)
            as is_biller,
        -- an outside party that is an organisation by its name: a company's, or a biller's (an insurer, a
        -- utility, a government agency), whichever way the money went
        {{ is_outside_party('f.party_key') }}
            and (b.party_label is not null or coalesce({{ is_company_name('f.party_label') }}, false))
            as is_organisation,
        -- a biller by its name, whichever way the money went (an insurer settling a claim, a utility's refund)
        b.party_label is not null and {{ is_outside_party('f.party_key') }} as is_named_biller,
        p.party_key is not null or n.name is not null
            -- a broker-dealer at home (by name), by ACH or wire: money sent to it is invested, and money from
            -- it, once the customer had sent it money, is its own taken back (a "securities" firm abroad, or
            -- one paying someone who never funded an account there, is judged)
            or k.party_label is not null
            and f.channel in ('ACH', 'WIRE')
            and (f.party_country is null or f.party_country is not distinct from c.country)
            and (
                f.flow = 'OUT'
                or coalesce(
                    min(f.effective_at) filter (where f.flow = 'OUT')
                        over (partition by f.customer_id, f.party_key) < f.effective_at,
                    false
                )
            )
            as is_frequent_party
    from flows as f
    join {{ ref('stg_ledger__customers') }} as c using (customer_id)
    left join {{ ref('int_common_parties') }} as p using (party_key)
    left join common_names as n
        on f.party_key like 'N:%' and f.channel <> 'P2P' and n.name = substr(f.party_key, 3)
    left join broker_names as k
        on k.party_label = f.party_label and {{ is_outside_party('f.party_key') }}
    left join biller_names as b
        on b.party_label = f.party_label and {{ is_outside_party('f.party_key') }}
    left join commission_agencies as g using (customer_id)
),

-- each business day money came in, per customer, with its first and last arrival
income_days as (
    select customer_id, business_date, min(effective_at) as first_in_at, max(effective_at) as last_in_at
    from flows
    where flow = 'IN'
    group by customer_id, business_date
),

-- a commission agency's split: a payment at home while what it paid at home in the `commission_split_days` up to
-- it (this payment included) comes to no more than organisations at home paid it by ACH or wire in the days
-- before (a title company's commission shared with the agents and the referral broker as it comes in; never back
-- to the payer). Its trade, however rarely commissions come; money from people or from abroad, what it held, and
-- splits sent abroad are judged.
commission_payments as (
    select journal_id, customer_id, party_key, amount_usd, effective_at
    from with_parties
    where is_commission_agency
        and flow = 'OUT'
        and channel in ('ACH', 'WIRE', 'P2P')
        and (party_country is null or party_country = customer_country)
),

commission_receipts as (
    select customer_id, party_key, amount_usd, effective_at
    from with_parties
    where is_commission_agency
        and flow = 'IN'
        and is_organisation
        and channel in ('ACH', 'WIRE')
        and (party_country is null or party_country = customer_country)
),

commission_splits as (
    select distinct o.journal_id, o.customer_id
    from commission_payments as o
    where (
            select sum(p.amount_usd)
            from commission_payments as p
            where p.customer_id = o.customer_id
                and p.effective_at > o.effective_at - interval '{{ var("commission_split_days") }} days'
                and (p.effective_at, p.journal_id) <= (o.effective_at, o.journal_id)
        ) <= (
            select coalesce(sum(i.amount_usd), 0)
            from commission_receipts as i
            where i.customer_id = o.customer_id
                and i.party_key <> o.party_key
                and i.effective_at < o.effective_at
                and i.effective_at >= o.effective_at - interval '{{ var("commission_split_days") }} days'
        )
),

-- a small business's payment out: on how many business days money came in during the
-- `business_supplier_lookback_days` (at least 1) before it. A day's arrivals span less than a day, so a
-- day had one in that window exactly when its first came before the payment and its last at or after the
-- window's start. Distinct days: a journal can pay from two of the customer's accounts.
trading as (
    select w.journal_id, w.customer_id, count(distinct i.business_date) as income_days
    from with_parties as w
    join income_days as i
        on i.customer_id = w.customer_id
        and i.business_date between (w.effective_at - interval '{{ var("business_supplier_lookback_days") }} days')::date - 1
            and w.effective_at::date + 1
        and i.first_in_at < w.effective_at
        and i.last_in_at >= w.effective_at - interval '{{ var("business_supplier_lookback_days") }} days'
    where w.segment = 'SMALL_BUSINESS' and w.flow = 'OUT'
    group by w.journal_id, w.customer_id
)

select
    journal_id, reference_id, customer_id, account_id, account_code, currency, flow, channel, amount_usd,
    party_key, other_account_code, party_label, party_country, location, description, effective_at, business_date,
    segment,
    customer_country,
    party_first_at, payee_first_at, same_day_count, is_frequent_party or is_biller as is_common_party, is_biller,
    is_organisation, is_named_biller, coalesce(is_refund, false) as is_refund,
    segment = 'SMALL_BUSINESS' and (
        channel = 'ACH' and (
            flow = 'IN'
            or same_day_count >= {{ var('business_batch_min_payments') }}
            or party_first_at < effective_at
        )
        or flow = 'OUT' and (
            -- a company at home, or one abroad it has paid for `business_known_party_days` (a first
            -- payment abroad, and more to the same new payee that week, are not presumed trade)
            channel in ('ACH', 'WIRE') and {{ is_company_name('party_label') }}
                and (
                    party_country is null or party_country = customer_country
                    or party_first_at <= effective_at - interval '{{ var("business_known_party_days") }} days'
                )
            -- its staff paid by P2P in a batch (a payroll run by Zelle rather than ACH)
            or channel = 'P2P' and same_day_count >= {{ var('business_batch_min_payments') }}
                and not coalesce({{ is_company_name('party_label') }}, false)
        ) and coalesce(t.income_days, 0) >= {{ var('business_supplier_income_days') }}
        or s.journal_id is not null
    ) as is_business_trade
from with_parties
left join trading as t using (journal_id, customer_id)
left join commission_splits as s using (journal_id, customer_id)
