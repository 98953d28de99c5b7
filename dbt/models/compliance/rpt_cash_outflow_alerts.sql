-- CASH_RAPID_OUTFLOW (funnel accounts fed with cash, FinCEN FIN-2014-A005): cash deposits of at least
-- `cash_outflow_min_usd` within `cash_outflow_window_days` of one another, then at least
-- `cash_outflow_share` of that cash leaves by wire, ACH, P2P, crypto or as cash taken out somewhere else
-- (bills paid are spent, not moved on: int_customer_flows.is_biller) within `cash_outflow_days` of the last
-- deposit, and it was the cash that left: what went out beyond the customer's balance before the first
-- deposit and beyond what came in otherwise meanwhile (a client's payment before payroll; not a salary) is at least
-- `cash_outflow_share` of the cash; or, for anyone with savings or a working balance, what moved on (to
-- parties first paid after the cash, as cash elsewhere or crypto) beyond other inflows is that share of the
-- cash and at most `cash_outflow_max_multiple` times it (for a small business: what moved abroad, as cash
-- elsewhere or crypto, and only when it lives on cash, `business_cash_min_share` of its receipts over the
-- `business_cash_lookback_days` to the last outflow, or the cash went to an offshore centre (`offshore_jurisdictions`),
-- as cash elsewhere or crypto, or the cash is at least `cash_outflow_business_habit_multiple` times all it banked in
-- cash over that lookback before: a jeweller paid by card pays its suppliers abroad out of its working balance
-- whatever cash it banked that week, its cash sales). A small business (its takings are cash) is judged only on money to
-- parties it had never paid before (suppliers it pays every week are not a funnel), leaving out its trade
-- (payroll batches, suppliers). Windows slide over every deposit; overlapping ones are one alert.
-- RECEIPT_CASHED_OUT (FATF "Emerging Terrorist Financing Risks" 2015 and "Financing of Recruitment for
-- Terrorist Purposes" 2018: a traveller's consumer loan and savings drawn in cash before leaving; a bust-out's
-- transfers from "own" accounts elsewhere emptied at ATMs): a person (not a business) receives at least
-- `receipt_cashout_min_receipt_usd` by ACH, wire or P2P (a loan, savings brought over, money from someone; not
-- income: an ACH whose words say payroll or pension, an employer of many that paid it before, a payroll's
-- first pay (a common party paying `receipt_cashout_payroll_payees` customers again like a salary), or a party
-- that paid it `receipt_cashout_income_payments` times or more), then within `receipt_cashout_days` draws cash at
-- least `receipt_cashout_min_withdrawals` times, together at least `receipt_cashout_min_usd`, at least
-- `receipt_cashout_share` of the receipt and at least `receipt_cashout_habit_multiple` times the cash it drew in
-- the `receipt_cashout_lookback_days` before the receipt (out of all proportion to its habit; a customer with no
-- cash before has no habit, and a new account drawing a loan in cash is the red flag). A salary drawn at the
-- ATM every week is income and its habit; a renovation paid from a credit line goes to contractors, not into
-- cash. Windows slide over every receipt; overlapping ones are one alert, named by its first receipt.
-- OFF_BOOK_CASH_PAYROLL (IRS Criminal Investigation on employment tax fraud: cash payrolls off the books; the
-- "rent-a-company" shell subcontractors of construction and workers' compensation premium fraud): a business (segment
-- SMALL_BUSINESS) takes out, within `cash_payroll_window_days`, at least `cash_payroll_min_usd` in cash withdrawals or
-- payments to cheque cashers (`check_casher_names`), at least `cash_payroll_share` of what its clients paid it by
-- ACH, wire or P2P in those days, and ran no payroll in the `cash_payroll_lookback_days` before (no ACH to three or
-- more people on one day, `business_batch_min_payments`; no payroll provider paid, `payroll_provider_words`): its
-- crews are paid in cash, off the books. A farm paying its crews through a payroll provider, with cash advances
-- beside it, runs a payroll; an ATM operator fills its machines with the cash it draws, paid back as ATM settlements
-- (macro is_atm_settlement) in the window and the `atm_cash_lead_days` after (at least half the cash). Windows slide
-- over every cash-out; overlapping ones are one alert.
with flows as (
    select * from {{ ref('int_customer_flows') }}
),

deposits as (
    select * from flows where channel = 'CASH_DEPOSIT'
),

anchors as (
    select
        d.customer_id,
        d.segment,
        d.journal_id as anchor_journal_id,
        d.effective_at as anchor_at,
        count(*) as deposits,
        sum(c.amount_usd) as cash_usd,
        max(c.effective_at) as last_cash_at,
        array_agg(distinct c.location) filter (where c.location is not null) as locations,
        {{ evidence_ids('c', 'in_') }},
        array_agg(distinct c.account_code) as in_accounts
    from deposits as d
    join deposits as c
        on c.customer_id = d.customer_id
        and c.effective_at >= d.effective_at
        and c.effective_at < d.effective_at + interval '{{ var("cash_outflow_window_days") }} days'
    group by d.customer_id, d.segment, d.journal_id, d.effective_at
    having sum(c.amount_usd) >= {{ var('cash_outflow_min_usd') }}
),

drained as (
    select
        a.*,
        sum(o.amount_usd) as outbound_usd,
        coalesce(sum(o.amount_usd) filter (where o.party_first_at > a.anchor_at), 0) as new_party_usd,
        -- moved on: to parties first paid after the cash came, or out again as cash elsewhere or crypto
        coalesce(sum(o.amount_usd) filter (
            where o.party_first_at > a.anchor_at or o.channel in ('CASH_WITHDRAWAL', 'CRYPTO')
        ), 0) as moved_on_usd,
        -- ... of it abroad (a new party whose country is not the customer's), as cash elsewhere or crypto
        coalesce(sum(o.amount_usd) filter (
            where o.party_first_at > a.anchor_at and o.party_country <> o.customer_country
                or o.channel in ('CASH_WITHDRAWAL', 'CRYPTO')
        ), 0) as moved_away_usd,
        -- ... of it to an offshore centre (`offshore_jurisdictions`), as cash elsewhere or crypto
        coalesce(sum(o.amount_usd) filter (
            where o.party_first_at > a.anchor_at
                and o.party_country = any({{ word_list('offshore_jurisdictions') }})
                or o.channel in ('CASH_WITHDRAWAL', 'CRYPTO')
        ), 0) as moved_offshore_usd,
        max(o.effective_at) as last_out_at,
        array_agg(distinct o.channel) as out_channels,
        array_agg(distinct o.party_label) as recipient_labels,
        {{ evidence_ids('o', 'out_') }},
        array_agg(distinct o.account_code) as out_accounts
    from anchors as a
    join flows as o
        on o.customer_id = a.customer_id
        and o.flow = 'OUT'
        and (o.is_business_trade or o.is_refund) is not true
        and o.is_biller is not true
        and o.effective_at > a.anchor_at
        and o.effective_at <= a.last_cash_at + interval '{{ var("cash_outflow_days") }} days'
        -- cash taken out where it was paid in is not moving it on
        and not (o.channel = 'CASH_WITHDRAWAL' and o.location = any(coalesce(a.locations, array[]::text[])))
    group by
        a.customer_id, a.segment, a.anchor_journal_id, a.anchor_at, a.deposits, a.cash_usd, a.last_cash_at,
        a.locations, a.in_journal_ids, a.in_reference_ids, a.in_accounts
),

judged as (
    select
        d.*,
        {{ customer_balance_usd('d.customer_id', business_day('d.anchor_at') ~ ' - 1') }} as balance_before_usd,
        -- every deposit that could have funded the outflow, from a window before this one to its last outflow
        (
            select sum(c.amount_usd)
            from deposits as c
            where c.customer_id = d.customer_id
                and c.effective_at >= d.anchor_at - interval '{{ var("cash_outflow_window_days") }} days'
                and c.effective_at <= d.last_out_at
        ) as available_usd,
        -- money that came in other ways meanwhile (transfers, crypto sold) could have paid for the outflow;
        -- a salary or other regular income (from an employer or another common party) pays the bills
        coalesce((
            select sum(i.amount_usd)
            from flows as i
            where i.customer_id = d.customer_id
                and i.flow = 'IN'
                and i.channel <> 'CASH_DEPOSIT'
                and i.is_common_party is not true
                and i.effective_at >= d.anchor_at
                and i.effective_at <= d.last_out_at
        ), 0) as other_in_usd
    from drained as d
    where case when d.segment = 'SMALL_BUSINESS' then d.new_party_usd else d.outbound_usd end
        >= {{ var('cash_outflow_share') }} * d.cash_usd
),

qualifying as (
    select *
    from judged as j
    where outbound_usd >= {{ var('cash_outflow_share') }} * available_usd
        and (
            -- more left than the customer held before: the cash must have gone too
            outbound_usd - greatest(balance_before_usd, 0) - other_in_usd
                >= {{ var('cash_outflow_share') }} * cash_usd
            -- or about the cash moved on (to new parties, as cash elsewhere, as crypto) and no more: savings
            -- (or a business's working balance) kept, the cash passed through. Rent and bills to parties paid
            -- before are not the cash moving on; a large purchase paid from savings is far more than the cash;
            -- a business's trade (payroll, suppliers at home) is left out above.
            -- (for a business only what went abroad, as cash elsewhere or crypto: an owner's draw to their
            -- own account or a new supplier at home is not the cash moving on)
            -- A business living on other money (a jeweller's card takings) pays its suppliers abroad out of its
            -- working balance, whatever cash it banked that week: only one living on cash passes it on, or one
            -- sending it to an offshore centre, as cash elsewhere or crypto.
            or (
                case when segment = 'SMALL_BUSINESS' then moved_away_usd else moved_on_usd end - other_in_usd
                    >= {{ var('cash_outflow_share') }} * cash_usd
                and moved_on_usd <= {{ var('cash_outflow_max_multiple') }} * cash_usd
                and (
                    segment <> 'SMALL_BUSINESS'
                    or moved_offshore_usd - other_in_usd >= {{ var('cash_outflow_share') }} * cash_usd
                    or {{ cash_share('j.customer_id', "'IN'", 'j.last_out_at') }} >= {{ var('business_cash_min_share') }}
                    -- or the cash is out of all proportion to its habit: at least
                    -- `cash_outflow_business_habit_multiple` times all it banked in cash over the lookback before (a
                    -- lump paid in by a business that banks no cash; a jeweller's cash sales, a big one some weeks,
                    -- are its habit)
                    or cash_usd >= {{ var('cash_outflow_business_habit_multiple') }} * coalesce((
                        select sum(h.amount_usd)
                        from {{ ref('int_customer_flows') }} as h
                        where h.customer_id = j.customer_id
                            and h.channel = 'CASH_DEPOSIT'
                            and h.effective_at < j.anchor_at
                            and h.effective_at >= j.anchor_at
                                - interval '{{ var("business_cash_lookback_days") }} days'
                    ), 0)
                )
            )
        )
),

bursts as (
    {{ overlapping_as_one('qualifying', 'customer_id', 'anchor_at, anchor_journal_id', 'anchor_at', 'last_out_at') }}
),

alerts as (
    select distinct on (customer_id, episode)
        'CASH_RAPID_OUTFLOW'::text as rule,
        md5('CASH_RAPID_OUTFLOW:' || customer_id || ':' || anchor_journal_id) as alert_id,
        customer_id,
        array[customer_id] as customer_ids,
        anchor_at as first_at,
        last_out_at as last_at,
        cash_usd + outbound_usd as total_amount_usd,
        array(select distinct unnest(in_accounts || out_accounts) order by 1) as account_codes,
        in_journal_ids || out_journal_ids as journal_ids,
        in_reference_ids || out_reference_ids as reference_ids,
        jsonb_build_object(
            'cash_deposits', deposits,
            'cash_usd', trim_scale(cash_usd::numeric)::text,
            'deposit_locations', coalesce(to_jsonb(locations), '[]'::jsonb),
            'outbound_usd', trim_scale(outbound_usd::numeric)::text,
            'outbound_share', round(outbound_usd / cash_usd, 4),
            'out_channels', to_jsonb(out_channels),
            'recipients', to_jsonb(recipient_labels),
            'balance_before_usd', trim_scale(round(balance_before_usd::numeric, 2))::text,
            'other_inflow_usd', trim_scale(round(other_in_usd::numeric, 2))::text,
            'hours', round(extract(epoch from last_out_at - anchor_at) / 3600, 1)
        ) as details
    from bursts
    order by customer_id, episode, anchor_at, anchor_journal_id
),

-- RECEIPT_CASHED_OUT -------------------------------------------------------------------------------------
-- read by int_customer_flows' index on customer and time, per receipt (not a scan of `flows` each)
withdrawals as not materialized (
    select * from {{ ref('int_customer_flows') }} where channel = 'CASH_WITHDRAWAL' and segment <> 'SMALL_BUSINESS'
),

-- payrolls: common parties (many customers, month after month) that paid at least
-- `receipt_cashout_payroll_payees` customers again like a salary: by ACH or wire, at least
-- `receipt_cashout_pay_cycle_days` after a pay before (weekly pay too) and within
-- `receipt_cashout_pay_tolerance` of its amount, and not called a lender (`lender_name_words`: a payday lender
-- re-lends a fixed sum every pay cycle). A payroll's first pay to a new employee is income; a lender pays each
-- loan once, and a second loan or a credit line's draws come at other amounts. Judged over the lake's whole
-- history, as common parties are.
pays as (
    select
        party_key,
        customer_id,
        effective_at,
        amount_usd,
        lag(effective_at) over paid as previous_at,
        lag(amount_usd) over paid as previous_usd
    from flows
    where flow = 'IN' and channel in ('ACH', 'WIRE') and is_common_party
        and not {{ has_word_of('party_label', 'lender_name_words') }}
    window paid as (partition by party_key, customer_id order by effective_at, journal_id)
),

payroll_payers as (
    select party_key
    from pays
    where effective_at >= previous_at + interval '{{ var("receipt_cashout_pay_cycle_days") }} days'
        and abs(amount_usd - previous_usd) <= {{ var('receipt_cashout_pay_tolerance') }} * previous_usd
    group by party_key
    having count(distinct customer_id) >= {{ var('receipt_cashout_payroll_payees') }}
),

cashed_receipts as (
    select
        r.customer_id,
        r.journal_id as anchor_journal_id,
        r.reference_id as anchor_reference_id,
        r.account_code as anchor_account,
        r.effective_at as anchor_at,
        r.amount_usd as received_usd,
        r.party_label as payer,
        w.withdrawals,
        w.cash_usd,
        w.last_cash_at,
        w.locations,
        w.out_journal_ids,
        w.out_reference_ids,
        w.out_accounts,
        h.habit_usd
    from flows as r
    cross join lateral (
        select
            count(*) as withdrawals,
            sum(c.amount_usd) as cash_usd,
            max(c.effective_at) as last_cash_at,
            array_agg(distinct c.location) filter (where c.location is not null) as locations,
            {{ evidence_ids('c', 'out_') }},
            array_agg(distinct c.account_code) as out_accounts
        from withdrawals as c
        where c.customer_id = r.customer_id
            and c.effective_at > r.effective_at
            and c.effective_at <= r.effective_at + interval '{{ var("receipt_cashout_days") }} days'
    ) as w
    cross join lateral (
        -- the cash it drew before: its habit (a customer with no cash before has none: any such cash counts)
        select coalesce(sum(c.amount_usd), 0) as habit_usd
        from withdrawals as c
        where c.customer_id = r.customer_id
            and c.effective_at >= r.effective_at - interval '{{ var("receipt_cashout_lookback_days") }} days'
            and c.effective_at < r.effective_at
    ) as h
    where r.flow = 'IN'
        and r.segment <> 'SMALL_BUSINESS'
        and r.channel in ('ACH', 'WIRE', 'P2P')
        -- income, not a receipt to judge: an ACH that says what everyday thing it is (a payroll, a pension),
        -- a party of many customers that had paid this one before (an employer), a party that pays its
        -- customers again and again (a payroll: its first pay to a new employee), or a party that pays this
        -- one again and again (a salary from a small employer). A lender paying out a loan is none of those.
        and r.is_biller is not true
        and not (coalesce(r.is_common_party, false) and r.party_first_at < r.effective_at)
        and not exists (select 1 from payroll_payers as pp where pp.party_key = r.party_key)
        and (
            select count(*)
            from {{ ref('int_customer_flows') }} as p
            where p.customer_id = r.customer_id and p.party_key = r.party_key and p.flow = 'IN'
        ) < {{ var('receipt_cashout_income_payments') }}
        and r.amount_usd >= {{ var('receipt_cashout_min_receipt_usd') }}
        and w.withdrawals >= {{ var('receipt_cashout_min_withdrawals') }}
        and w.cash_usd >= {{ var('receipt_cashout_min_usd') }}
        and w.cash_usd >= {{ var('receipt_cashout_share') }} * r.amount_usd
        and w.cash_usd >= {{ var('receipt_cashout_habit_multiple') }} * h.habit_usd
),

cashed_bursts as (
    {{ overlapping_as_one('cashed_receipts', 'customer_id', 'anchor_at, anchor_journal_id', 'anchor_at', 'last_cash_at') }}
),

-- one alert per episode, named by its first receipt; every receipt and withdrawal of the episode, each once
cashed_episodes as (
    select
        b.customer_id,
        b.episode,
        (array_agg(b.anchor_journal_id order by b.anchor_at, b.anchor_journal_id))[1] as key,
        min(b.anchor_at) as first_at,
        max(b.last_cash_at) as last_at,
        count(*) as receipts,
        sum(b.received_usd) as received_usd,
        (array_agg(b.habit_usd order by b.anchor_at, b.anchor_journal_id))[1] as habit_usd,
        array_agg(distinct b.payer) as payers
    from cashed_bursts as b
    group by b.customer_id, b.episode
),

cashed_out as (
    select
        'RECEIPT_CASHED_OUT'::text as rule,
        md5('RECEIPT_CASHED_OUT:' || e.customer_id || ':' || e.key) as alert_id,
        e.customer_id,
        array[e.customer_id] as customer_ids,
        e.first_at,
        e.last_at,
        e.received_usd + c.cash_usd as total_amount_usd,
        {{ episode_evidence('cashed_bursts', 'm.customer_id = e.customer_id and m.episode = e.episode',
                            'anchor_account', 'anchor_journal_id', 'anchor_reference_id', 'anchor_at') }},
        jsonb_build_object(
            'receipts', e.receipts,
            'payers', to_jsonb(e.payers),
            'received_usd', trim_scale(e.received_usd::numeric)::text,
            'cash_withdrawals', c.withdrawals,
            'cash_usd', trim_scale(c.cash_usd::numeric)::text,
            'cash_share', round(c.cash_usd / e.received_usd, 4),
            'locations', coalesce(to_jsonb(c.locations), '[]'::jsonb),
            'cash_in_the_days_before_usd', trim_scale(round(e.habit_usd::numeric, 2))::text,
            'days', round(extract(epoch from e.last_at - e.first_at) / 86400, 1)
        ) as details
    from cashed_episodes as e
    -- the episode's withdrawals, each once (one may follow two receipts), read by the table's index
    cross join lateral (
        select
            count(*) as withdrawals,
            sum(w.amount_usd) as cash_usd,
            array_agg(distinct w.location order by w.location) filter (where w.location is not null) as locations
        from withdrawals as w
        where w.customer_id = e.customer_id
            and w.journal_id = any(array(
                select unnest(x.out_journal_ids) from cashed_bursts as x
                where x.customer_id = e.customer_id and x.episode = e.episode
            ))
    ) as c
),

-- OFF_BOOK_CASH_PAYROLL -------------------------------------------------------------------------------------
-- a business's money taken out as cash: withdrawals, and payments to cheque cashers (`check_casher_names`)
-- (read from int_customer_flows itself, by its index on customer and time: the `flows` CTE above is materialized)
business_cash as not materialized (
    select *
    from {{ ref('int_customer_flows') }}
    where flow = 'OUT'
        and segment = 'SMALL_BUSINESS'
        and (
            channel = 'CASH_WITHDRAWAL'
            or channel in ('ACH', 'WIRE', 'P2P') and {{ has_phrase_of('party_label', 'check_casher_names') }}
        )
),

-- businesses that run a payroll: ACH to `business_batch_min_payments` people or more on one day (its suppliers paid
-- beside them do not count), or a payroll provider paid (by a word of its name)
payroll_runs as (
    select customer_id, max(effective_at) as effective_at
    from flows
    where flow = 'OUT' and segment = 'SMALL_BUSINESS' and channel = 'ACH'
        and not coalesce({{ is_company_name('party_label') }}, false)
    group by customer_id, business_date
    having count(*) >= {{ var('business_batch_min_payments') }}
    union all
    select customer_id, effective_at
    from flows
    where flow = 'OUT' and segment = 'SMALL_BUSINESS'
        and coalesce({{ has_word_of('party_label', 'payroll_provider_words') }}, false)
),

cash_payroll_windows as (
    select
        a.customer_id,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        c.cash_usd,
        c.cash_outs,
        c.first_at,
        c.out_journal_ids,
        c.out_reference_ids,
        c.out_accounts,
        c.payees,
        i.received_usd,
        i.payers,
        i.in_journal_ids,
        i.in_reference_ids,
        i.in_accounts
    from business_cash as a
    cross join lateral (
        select
            sum(o.amount_usd) as cash_usd,
            count(*) as cash_outs,
            min(o.effective_at) as first_at,
            {{ evidence_ids('o', 'out_') }},
            array_agg(distinct o.account_code) as out_accounts,
            array_agg(distinct o.party_label) filter (where o.channel <> 'CASH_WITHDRAWAL') as payees
        from business_cash as o
        where o.customer_id = a.customer_id
            and o.effective_at > a.effective_at - interval '{{ var("cash_payroll_window_days") }} days'
            and o.effective_at <= a.effective_at
    ) as c
    cross join lateral (
        -- what its clients paid it in the window (not cash: a shop's takings banked are not drawn again)
        select
            coalesce(sum(r.amount_usd), 0) as received_usd,
            array_agg(distinct r.party_label) as payers,
            {{ evidence_ids('r', 'in_') }},
            array_agg(distinct r.account_code) as in_accounts
        from {{ ref('int_customer_flows') }} as r
        where r.customer_id = a.customer_id
            and r.flow = 'IN'
            and r.channel in ('ACH', 'WIRE', 'P2P')
            and r.effective_at > a.effective_at - interval '{{ var("cash_payroll_window_days") }} days'
            and r.effective_at <= a.effective_at
            and not {{ is_own_name_party('r') }}
    ) as i
    where c.cash_usd >= {{ var('cash_payroll_min_usd') }}
        and c.cash_usd >= {{ var('cash_payroll_share') }} * i.received_usd
        and i.received_usd > 0
        -- an ATM operator draws the vault cash its machines dispense, and its processor pays it back in the days
        -- after (the cash it does not draw for them is ATM_SETTLEMENTS_WITHOUT_CASH's)
        and coalesce((
            select sum(r.amount_usd)
            from {{ ref('int_customer_flows') }} as r
            where r.customer_id = a.customer_id
                and {{ is_atm_settlement('r') }}
                and r.effective_at > a.effective_at - interval '{{ var("cash_payroll_window_days") }} days'
                and r.effective_at <= a.effective_at + interval '{{ var("atm_cash_lead_days") }} days'
        ), 0) < 0.5 * c.cash_usd
        and not exists (
            select 1 from payroll_runs as p
            where p.customer_id = a.customer_id
                and p.effective_at > a.effective_at - interval '{{ var("cash_payroll_lookback_days") }} days'
                and p.effective_at <= a.effective_at
        )
),

cash_payroll_episodes as (
    {{ overlapping_as_one('cash_payroll_windows', 'customer_id', 'anchor_at, anchor_journal_id', 'first_at', 'anchor_at') }}
),

cash_payroll as (
    -- the episode's window with the most cash (then the latest) speaks for it
    select distinct on (customer_id, episode)
        'OFF_BOOK_CASH_PAYROLL'::text as rule,
        md5('OFF_BOOK_CASH_PAYROLL:' || customer_id || ':' || anchor_journal_id) as alert_id,
        customer_id,
        array[customer_id] as customer_ids,
        first_at,
        anchor_at as last_at,
        received_usd + cash_usd as total_amount_usd,
        array(select distinct x from unnest(in_accounts || out_accounts) as x order by 1) as account_codes,
        in_journal_ids || out_journal_ids as journal_ids,
        in_reference_ids || out_reference_ids as reference_ids,
        jsonb_build_object(
            'received_usd', trim_scale(round(received_usd::numeric, 2))::text,
            'payers', to_jsonb(payers),
            'cash_usd', trim_scale(round(cash_usd::numeric, 2))::text,
            'cash_outs', cash_outs,
            'cash_share', round((cash_usd / received_usd)::numeric, 4),
            'check_cashers', coalesce(to_jsonb(payees), '[]'::jsonb),
            'payroll_runs', 0,
            'days', round(extract(epoch from anchor_at - first_at) / 86400, 1)
        ) as details
    from cash_payroll_episodes
    order by customer_id, episode, cash_usd desc, anchor_at desc, anchor_journal_id
)

{{ alert_rows('(select * from alerts union all select * from cashed_out union all select * from cash_payroll)') }}
