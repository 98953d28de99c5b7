-- An employee paying itself from its employer's account (family `embezzlement`).
--   EMPLOYER_PAYMENTS_BEYOND_PAY (ACFE, "Occupational Fraud 2024: A Report to the Nations": billing, expense
--       reimbursement, cheque and payroll schemes by bookkeepers and office managers; FinCEN SAR narratives on
--       embezzlement): within `embezzlement_window_days`, a person (not a business) is paid at least
--       `embezzlement_min_payments` times by its employer other than as pay, together at least
--       `embezzlement_pay_multiple` times the pay that employer paid it in those days (some pay in them) and more
--       than it spent by card in those days and the `embezzlement_expense_lead_days` before (the expenses it paid
--       to be reimbursed, and what it lives on). Its employer is an outside
--       party, known by its name whatever account it pays from, that paid it at least twice by ACH with a word of
--       `pay_description_words` in the reference (a payroll); other payments are those whose reference has none
--       ("VENDOR PMT", "REIMBURSEMENT", a cheque paid in). An employee is reimbursed the trips it paid by card; one
--       who writes the employer's cheques to itself is paid more than its pay and its spending, again and again. The alert names the employer, its pay and every payment beyond it.
-- Windows slide over every payment beyond pay; overlapping ones are one alert.
-- (read where it is used, by int_customer_flows' index on customer and time: the pay of each window)
with receipts as not materialized (
    select
        f.*,
        'N:' || {{ normalise_name('f.party_label') }} as payer,
        coalesce({{ has_word_of('f.description', 'pay_description_words') }}, false) as is_pay
    from {{ ref('int_customer_flows') }} as f
    where f.flow = 'IN'
        and f.segment <> 'SMALL_BUSINESS'
        and f.channel in ('ACH', 'WIRE', 'P2P')
        and {{ is_outside_party('f.party_key') }}
        and f.party_label is not null
),

-- (employee, employer): paid by ACH as pay at least twice
employers as (
    select customer_id, payer
    from receipts
    where is_pay and channel = 'ACH'
    group by customer_id, payer
    having count(*) >= 2
),

beyond_pay as materialized (
    select r.*
    from receipts as r
    join employers as e using (customer_id, payer)
    where not r.is_pay
),

-- what they spent by card, per day (a trip's hotel and flights are paid first and reimbursed after)
card_days as materialized (
    select k.customer_id, k.authorized_at::date as day, sum(k.amount_usd) as spent_usd
    from {{ ref('int_card_authorisations') }} as k
    where k.hold_status = 'CAPTURED'
        and k.customer_id in (select customer_id from beyond_pay)
    group by k.customer_id, k.authorized_at::date
),

windows as (
    select
        a.customer_id,
        a.payer,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        w.payments,
        w.paid_usd,
        w.first_at,
        w.employer_label,
        w.journal_ids,
        w.reference_ids,
        w.account_codes,
        p.pay_usd,
        k.spent_usd
    from beyond_pay as a
    cross join lateral (
        select
            count(*) as payments,
            sum(b.amount_usd) as paid_usd,
            min(b.effective_at) as first_at,
            min(b.party_label) as employer_label,
            {{ evidence_ids('b') }},
            array_agg(distinct b.account_code) as account_codes
        from beyond_pay as b
        where b.customer_id = a.customer_id
            and b.payer = a.payer
            and b.effective_at > a.effective_at - interval '{{ var("embezzlement_window_days") }} days'
            and b.effective_at <= a.effective_at
    ) as w
    cross join lateral (
        select coalesce(sum(r.amount_usd), 0) as pay_usd
        from receipts as r
        where r.customer_id = a.customer_id
            and r.payer = a.payer
            and r.is_pay
            and r.effective_at > a.effective_at - interval '{{ var("embezzlement_window_days") }} days'
            and r.effective_at <= a.effective_at
    ) as p
    cross join lateral (
        select coalesce(sum(d.spent_usd), 0) as spent_usd
        from card_days as d
        where d.customer_id = a.customer_id
            and d.day > (a.effective_at - interval '{{ var("embezzlement_window_days") + var("embezzlement_expense_lead_days") }} days')::date
            and d.day <= a.effective_at::date
    ) as k
    -- an employee still paid in those days (a former employee paid as a contractor is its client's)
    where p.pay_usd > 0
        and w.payments >= {{ var('embezzlement_min_payments') }}
        and w.paid_usd >= {{ var('embezzlement_pay_multiple') }} * p.pay_usd
        -- more than it spent by card: expenses reimbursed come to no more than what was spent
        and w.paid_usd > k.spent_usd
),

episodes as (
    {{ overlapping_as_one('windows', 'customer_id, payer', 'anchor_at, anchor_journal_id', 'first_at', 'anchor_at') }}
),

embezzlement as (
    -- the episode's window with the most paid beyond pay (then the latest) speaks for it
    select distinct on (customer_id, payer, episode)
        'EMPLOYER_PAYMENTS_BEYOND_PAY'::text as rule,
        md5('EMPLOYER_PAYMENTS_BEYOND_PAY:' || customer_id || ':' || anchor_journal_id) as alert_id,
        customer_id,
        array[customer_id] as customer_ids,
        first_at,
        anchor_at as last_at,
        paid_usd as total_amount_usd,
        account_codes,
        journal_ids,
        reference_ids,
        jsonb_build_object(
            'employer', employer_label,
            'payments_beyond_pay', payments,
            'paid_beyond_pay_usd', trim_scale(round(paid_usd::numeric, 2))::text,
            'pay_usd', trim_scale(round(pay_usd::numeric, 2))::text,
            'card_spending_usd', trim_scale(round(spent_usd::numeric, 2))::text,
            'days', round(extract(epoch from anchor_at - first_at) / 86400, 1)
        ) as details
    from episodes
    order by customer_id, payer, episode, paid_usd desc, anchor_at desc, anchor_journal_id
)

{{ alert_rows('embezzlement') }}
