-- Money obtained by fraud on lenders, insurers and investors, and where it went (families `lending_fraud`,
-- `healthcare_fraud`, `investment_fraud`).
--   FINANCING_STACKING (FinCEN SAR narratives on double-pledged receivables and merchant cash advance
--       "stacking"; FFIEC BSA/AML manual, lending activities: loan proceeds used for unexpected purposes; the
--       Secured Finance Network's factoring fraud red flags): within `stacking_window_days`, a business (segment
--       SMALL_BUSINESS) receives advances of at least `stacking_min_advance_usd` each, by ACH or wire, from at least
--       `stacking_min_lenders` distinct financers (not common parties; a name with a word of `lender_name_words`,
--       or a payment whose reference has a word
--       of `financing_description_words`; by name, so a financer paying from two accounts is one; not an account of
--       its own name; not one that paid it `stacking_trade_channel_payments` times or more within
--       `stacking_window_days`, at any time: it buys the business's sales one by one, a dealer's lenders each car's
--       contract), together at
--       least `stacking_trade_multiple` times everything else it received from the `stacking_lookback_days`
--       before the first advance to the last; or from at least `stacking_many_lenders` financers, at least
--       `stacking_many_trade_multiple` times: the same invoices sold to several factors, or advances taken from
--       several lenders at once, out of proportion to the trade behind them. A business with one factor is
--       advanced against its own receivables; one with a loan and a line of credit borrows less than three
--       times its trade. What it paid the window's financers after their first advance, until
--       `stacking_window_days` after the last, is in the alert's details (one repaid with another's advance).
--   HEALTHCARE_KICKBACKS (HHS-OIG Special Fraud Alerts on payments to patient recruiters; FinCEN SAR guidance on
--       health care fraud; claim payments reach a provider by ACH with the entry description HCCLAIMPMT under the
--       HIPAA operating rules): a business paid health-care claims (by ACH or wire, a word of
--       `claim_payment_description_words` in the reference or of `health_payer_name_words` in the payer's name)
--       pays, within `kickback_window_days`, at least `kickback_min_people` people (not companies, not in a payroll
--       batch: `business_batch_min_payments` ACH payments on one day; not accounts of its own name) at least `kickback_min_payments_each` times each, together at least
--       `kickback_min_usd` and at least `kickback_claims_share` of the claims paid to it from `kickback_window_days`
--       before the first payment to the last: recruiters paid per patient out of the reimbursements. A practice
--       pays its staff by payroll and its contractors as companies.
--   PONZI_PAYOUTS (SEC investor alerts "Ponzi Schemes" and "Affinity Fraud"; FinCEN SAR narratives on investment
--       fraud: returns paid out of new investors' money, funds diverted to the promoter): within `ponzi_window_days`,
--       a customer is paid at least `ponzi_min_investment_usd` each by at least `ponzi_min_investors` people (not
--       companies, not common parties, not accounts of its own name), together at least `ponzi_min_raised_usd`;
--       then, in the same days, pays back at least `ponzi_min_investors_paid` of them after they invested ("returns",
--       redemptions), and pays people who never invested (not companies or common parties, not in a payroll batch
--       of ACH or P2P payments to `business_batch_min_payments` people on one day) at least
--       `ponzi_diverted_share` of what it raised: the promoter and those close to him. An investment club's members
--       pay dues, and the club's money goes to its brokerage account; a fund invests what it raises.
-- Windows slide over every advance, every payment to a person, or every investment; overlapping ones are one alert.
with flows as not materialized (
    select * from {{ ref('int_customer_flows') }}
),

-- FINANCING_STACKING ------------------------------------------------------------------------------------------
financer_payments as (
    select f.*, {{ normalise_name('f.party_label') }} as lender
    from flows as f
    where f.flow = 'IN'
        and f.channel in ('ACH', 'WIRE')
        and f.segment = 'SMALL_BUSINESS'
        and f.is_common_party is not true
        and {{ is_outside_party('f.party_key') }}
        and (
            coalesce({{ has_word_of('f.party_label', 'lender_name_words') }}, false)
            or coalesce({{ has_word_of('f.description', 'financing_description_words') }}, false)
        )
        -- an account of the business's own name is never its financer ("Capital City Motors" paying in its
        -- opening balance), whenever it first paid in
        and not {{ is_own_name_account('f') }}
),

-- an advance is a lump: a financer that paid the business `stacking_trade_channel_payments` times or more within
-- `stacking_window_days` (at any time) is buying its sales one by one (a dealer's lenders funding each car's
-- contract, a factor each week's invoices), and what it pays is trade
trade_channels as (
    select customer_id, lender
    from (
        select
            customer_id,
            lender,
            count(*) over (
                partition by customer_id, lender order by effective_at
                range between interval '{{ var("stacking_window_days") }} days' preceding and current row
            ) as paid_in_window
        from financer_payments
    ) as c
    group by customer_id, lender
    having max(paid_in_window) >= {{ var('stacking_trade_channel_payments') }}
),

advances as (
    select a.*
    from financer_payments as a
    where a.amount_usd >= {{ var('stacking_min_advance_usd') }}
        and not exists (
            select 1 from trade_channels as t where t.customer_id = a.customer_id and t.lender = a.lender
        )
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

-- when each financer first advanced the customer money
lender_first as (
    select customer_id, lender, min(effective_at) as first_advanced_at
    from stacked
    group by customer_id, lender
),

windows as (
    select
        a.customer_id,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        count(distinct w.lender) as lenders,
        array_agg(distinct w.lender) as lenders_in_window,
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
        -- what the window's financers were paid back, each after its first advance, until `stacking_window_days`
        -- after the last (one repaid out of another's advance)
        (
            select jsonb_build_object(
                'repaid_usd', trim_scale(round(coalesce(sum(r.amount_usd), 0)::numeric, 2))::text,
                'repayments', count(*)
            )
            from flows as r
            join lender_first as l
                on l.customer_id = r.customer_id
                and l.lender = {{ normalise_name('r.party_label') }}
                and l.first_advanced_at < r.effective_at
            where r.customer_id = w.customer_id
                and r.flow = 'OUT'
                and r.effective_at > w.anchor_at
                and r.effective_at <= w.last_at + interval '{{ var("stacking_window_days") }} days'
                and l.lender = any(w.lenders_in_window)
        ) as repaid
    from windows as w
),

stacking_episodes as (
    {{ overlapping_as_one(
        "(select * from judged where advanced_usd >= " ~ var('stacking_trade_multiple') ~ " * other_receipts_usd"
        ~ " or lenders >= " ~ var('stacking_many_lenders')
        ~ " and advanced_usd >= " ~ var('stacking_many_trade_multiple') ~ " * other_receipts_usd)",
        'customer_id', 'anchor_at, anchor_journal_id', 'anchor_at', 'last_at'
    ) }}
),

stacking as (
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
    from stacking_episodes
    order by customer_id, episode, lenders desc, advanced_usd desc, anchor_at, anchor_journal_id
),

-- HEALTHCARE_KICKBACKS ---------------------------------------------------------------------------------------
-- health-care claims paid to a business
claims as not materialized (
    select *
    from flows
    where flow = 'IN'
        and channel in ('ACH', 'WIRE')
        and segment = 'SMALL_BUSINESS'
        and (
            coalesce({{ has_word_of('description', 'claim_payment_description_words') }}, false)
            or coalesce({{ has_word_of('party_label', 'health_payer_name_words') }}, false)
        )
),

-- the businesses paid claims, each once: what follows reads only their payments (a scrap yard paying the public
-- hundreds of times is no claims-paid business, and its payments are never windowed here)
claimants as materialized (
    select distinct customer_id from claims
),

-- what a claims-paid business paid people (not companies, not its payroll batches, not its own name elsewhere)
paid_people as not materialized (
    select o.*, {{ normalise_name('o.party_label') }} as person
    from claimants as k
    join flows as o on o.customer_id = k.customer_id
    where o.flow = 'OUT'
        and o.channel in ('P2P', 'ACH', 'WIRE')
        -- not a direct-deposit payroll batch (ACH to several people on one day); recruiters paid by P2P in a burst
        -- count, as does a recruiter paid again by ACH (no supplier)
        and not {{ in_payment_batch('o', "'ACH'") }}
        and {{ is_outside_party('o.party_key') }}
        and not coalesce({{ is_company_name('o.party_label') }}, false)
        and not {{ is_own_name_party('o') }}
),

kickback_windows as (
    select
        a.customer_id,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        p.people,
        p.payments,
        p.paid_usd,
        p.people_labels,
        p.last_paid_at,
        p.out_journal_ids,
        p.out_reference_ids,
        p.out_accounts,
        c.claims_usd,
        c.payers,
        c.in_journal_ids,
        c.in_reference_ids,
        array(select distinct x from unnest(p.out_accounts || c.in_accounts) as x order by 1) as accounts,
        c.first_claim_at
    from paid_people as a
    cross join lateral (
        -- the people paid at least `kickback_min_payments_each` times in the window
        select
            count(distinct w.person) as people,
            count(*) as payments,
            sum(w.amount_usd) as paid_usd,
            array_agg(distinct w.party_label) as people_labels,
            max(w.effective_at) as last_paid_at,
            {{ evidence_ids('w', 'out_') }},
            array_agg(distinct w.account_code) as out_accounts
        from paid_people as w
        where w.customer_id = a.customer_id
            and w.effective_at >= a.effective_at
            and w.effective_at < a.effective_at + interval '{{ var("kickback_window_days") }} days'
            and w.person in (
                select r.person
                from paid_people as r
                where r.customer_id = a.customer_id
                    and r.effective_at >= a.effective_at
                    and r.effective_at < a.effective_at + interval '{{ var("kickback_window_days") }} days'
                group by r.person
                having count(*) >= {{ var('kickback_min_payments_each') }}
            )
    ) as p
    cross join lateral (
        -- the claims paid to it from a window before the first payment to the last
        select
            sum(i.amount_usd) as claims_usd,
            array_agg(distinct i.party_label) as payers,
            {{ evidence_ids('i', 'in_') }},
            array_agg(distinct i.account_code) as in_accounts,
            min(i.effective_at) as first_claim_at
        from claims as i
        where i.customer_id = a.customer_id
            and i.effective_at >= a.effective_at - interval '{{ var("kickback_window_days") }} days'
            and i.effective_at <= p.last_paid_at
    ) as c
    where p.people >= {{ var('kickback_min_people') }}
        and p.paid_usd >= {{ var('kickback_min_usd') }}
        and p.paid_usd >= {{ var('kickback_claims_share') }} * c.claims_usd
),

kickback_episodes as (
    {{ overlapping_as_one(
        'kickback_windows', 'customer_id', 'anchor_at, anchor_journal_id', 'anchor_at', 'last_paid_at'
    ) }}
),

kickbacks as (
    select distinct on (customer_id, episode)
        'HEALTHCARE_KICKBACKS'::text as rule,
        md5('HEALTHCARE_KICKBACKS:' || customer_id || ':' || anchor_journal_id) as alert_id,
        customer_id,
        array[customer_id] as customer_ids,
        least(first_claim_at, anchor_at) as first_at,
        last_paid_at as last_at,
        claims_usd + paid_usd as total_amount_usd,
        accounts as account_codes,
        in_journal_ids || out_journal_ids as journal_ids,
        in_reference_ids || out_reference_ids as reference_ids,
        jsonb_build_object(
            'claims_usd', trim_scale(round(claims_usd::numeric, 2))::text,
            'claim_payers', to_jsonb(payers),
            'people_paid', to_jsonb(people_labels),
            'payments', payments,
            'paid_usd', trim_scale(round(paid_usd::numeric, 2))::text,
            'paid_share', round((paid_usd / nullif(claims_usd, 0))::numeric, 4),
            'days', round(extract(epoch from last_paid_at - anchor_at) / 86400, 1)
        ) as details
    from kickback_episodes
    order by customer_id, episode, paid_usd desc, anchor_at, anchor_journal_id
),

-- PONZI_PAYOUTS ----------------------------------------------------------------------------------------------
-- people paying the customer in sums an investor puts in (not companies, not common parties, not its own name). A
-- person is known by name, another customer of the bank by its account (a payment between two customers carries
-- the name the payer typed, which is the receiver's own)
investments as not materialized (
    select f.*, {{ person_key('f') }} as investor
    from flows as f
    where f.flow = 'IN'
        and f.channel in ('ACH', 'WIRE', 'P2P')
        and f.is_common_party is not true
        and f.amount_usd >= {{ var('ponzi_min_investment_usd') }}
        and (f.party_key like 'C%' or not coalesce({{ is_company_name('f.party_label') }}, false))
        and not {{ is_own_name_party('f') }}
),

-- when each investor first invested, for the customers paid by enough of them to be judged
investor_first as (
    select customer_id, investor, min(effective_at) as first_invested_at
    from investments
    where customer_id in (
        select customer_id from investments
        group by customer_id
        having count(distinct investor) >= {{ var('ponzi_min_investors') }}
    )
    group by customer_id, investor
),

-- what those customers paid people (not companies, not common parties, not its own name), each payment marked as
-- a return to an investor (after it invested), as to someone who never invested, or neither (an investor paid
-- before it invested), and as in a payroll batch (ACH or P2P to several people on one day) or not
paid_out as not materialized (
    select
        o.*,
        f.first_invested_at is not null and f.first_invested_at < o.effective_at as is_investor,
        f.first_invested_at is null as never_invested,
        {{ in_payment_batch('o', "'ACH', 'P2P'") }} as in_batch
    from flows as o
    left join investor_first as f
        on f.customer_id = o.customer_id and f.investor = {{ person_key('o') }}
    where o.flow = 'OUT'
        and o.channel in ('ACH', 'WIRE', 'P2P')
        and o.is_common_party is not true
        and (o.party_key like 'C%' or not coalesce({{ is_company_name('o.party_label') }}, false))
        and o.customer_id in (select customer_id from investor_first)
        and not {{ is_own_name_party('o') }}
),

ponzi_windows as (
    select
        a.customer_id,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        i.investors,
        i.raised_usd,
        i.in_journal_ids,
        i.in_reference_ids,
        p.investors_paid,
        p.returned_usd,
        p.insiders,
        p.diverted_usd,
        p.last_paid_at,
        p.out_journal_ids,
        p.out_reference_ids,
        array(select distinct x from unnest(i.in_accounts || p.out_accounts) as x order by 1) as accounts
    from investments as a
    cross join lateral (
        select
            count(distinct w.investor) as investors,
            sum(w.amount_usd) as raised_usd,
            {{ evidence_ids('w', 'in_') }},
            array_agg(distinct w.account_code) as in_accounts
        from investments as w
        where w.customer_id = a.customer_id
            and w.effective_at >= a.effective_at
            and w.effective_at < a.effective_at + interval '{{ var("ponzi_window_days") }} days'
    ) as i
    cross join lateral (
        select
            -- investors paid back after they invested: "returns" and redemptions, in batches too
            count(distinct {{ person_key('o') }}) filter (where o.is_investor) as investors_paid,
            coalesce(sum(o.amount_usd) filter (where o.is_investor), 0) as returned_usd,
            -- people who never invested, not in a payroll batch: the promoter and those close to him
            array_agg(distinct o.party_label) filter (where o.never_invested and not o.in_batch) as insiders,
            coalesce(sum(o.amount_usd) filter (where o.never_invested and not o.in_batch), 0) as diverted_usd,
            max(o.effective_at) as last_paid_at,
            {{ evidence_ids('o', 'out_') }},
            array_agg(distinct o.account_code) as out_accounts
        from paid_out as o
        where o.customer_id = a.customer_id
            and o.effective_at > a.effective_at
            and o.effective_at < a.effective_at + interval '{{ var("ponzi_window_days") }} days'
            and (o.is_investor or o.never_invested and not o.in_batch)
    ) as p
    where a.customer_id in (select customer_id from investor_first)
        and i.investors >= {{ var('ponzi_min_investors') }}
        and i.raised_usd >= {{ var('ponzi_min_raised_usd') }}
        and p.investors_paid >= {{ var('ponzi_min_investors_paid') }}
        and p.diverted_usd >= {{ var('ponzi_diverted_share') }} * i.raised_usd
),

ponzi_episodes as (
    {{ overlapping_as_one(
        'ponzi_windows', 'customer_id', 'anchor_at, anchor_journal_id', 'anchor_at', 'last_paid_at'
    ) }}
),

ponzi as (
    -- the episode's window that raised the most speaks for it
    select distinct on (customer_id, episode)
        'PONZI_PAYOUTS'::text as rule,
        md5('PONZI_PAYOUTS:' || customer_id || ':' || anchor_journal_id) as alert_id,
        customer_id,
        array[customer_id] as customer_ids,
        anchor_at as first_at,
        last_paid_at as last_at,
        raised_usd + returned_usd + diverted_usd as total_amount_usd,
        accounts as account_codes,
        in_journal_ids || out_journal_ids as journal_ids,
        in_reference_ids || out_reference_ids as reference_ids,
        jsonb_build_object(
            'investors', investors,
            'raised_usd', trim_scale(round(raised_usd::numeric, 2))::text,
            'investors_paid_back', investors_paid,
            'returned_usd', trim_scale(round(returned_usd::numeric, 2))::text,
            'people_paid_who_never_invested', to_jsonb(insiders),
            'diverted_usd', trim_scale(round(diverted_usd::numeric, 2))::text,
            'diverted_share', round((diverted_usd / nullif(raised_usd, 0))::numeric, 4),
            'days', round(extract(epoch from last_paid_at - anchor_at) / 86400, 1)
        ) as details
    from ponzi_episodes
    order by customer_id, episode, raised_usd desc, anchor_at, anchor_journal_id
),

alerts as (
    select * from stacking
    union all
    select * from kickbacks
    union all
    select * from ponzi
)

{{ alert_rows('alerts') }}
