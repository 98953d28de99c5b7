-- Money that passes through an account.
--   FUNNEL_ACCOUNT (money mules, funnel accounts, gather-scatter hubs): within `funnel_in_days` of one
--       another, inbound wires, ACH or P2P from at least `funnel_min_senders` distinct parties (not employers
--       or billers: int_common_parties), together at least `funnel_min_usd` (a small business, whose clients
--       pay it from many accounts: `funnel_business_min_usd`), most of it from parties the
--       customer had never dealt with (`funnel_new_sender_share` of the amount); then at least
--       `funnel_outflow_share` of it leaves (any transfer but a bill paid, cash withdrawal or crypto purchase) within
--       `funnel_out_days` of the last inbound (and of all inbound from `funnel_in_days` before the window to
--       its last outflow), and it was the inbound money that left: what went out beyond the customer's
--       balance before the first inbound is at least `funnel_funded_share` of the inbound, or at least
--       `funnel_outflow_share` of it was scattered to `funnel_min_senders` or more parties the customer had
--       never paid, none taking more than `fan_out_max_share` of it (a gather-scatter hub that also had
--       savings; a landlord paying the mortgage out of the rents pays one party most of it). A crowd of at least
--       `fan_in_commerce_min_senders` payers whose median payment is at most `fan_in_commerce_max_median_usd`, such
--       payments carrying at least half the money, none of it out in cash or crypto, is a seller's customers or
--       a club's members, as for FAN_IN. Windows slide
--       over every inbound transfer; overlapping ones are one alert. A small business's ACH payments
--       (payroll, suppliers: int_customer_flows.is_business_trade) and refunds (a payer's money going back:
--       is_refund) are not money moved on.
--   ROUND_TRIP: a wire, ACH or P2P out to an outside party, then one back in from a different party the
--       customer had never dealt with before it sent the money, within `round_trip_max_days`, returning between
--       `round_trip_min_keep` and `round_trip_max_keep` of the amount sent (each at least
--       `round_trip_min_cycle_usd`; at least `round_trip_min_usd` over the cycles between the two parties, or
--       at least `round_trip_min_cycles` cycles): the money came back dressed as a new source. Each return
--       answers the latest payment before it in that band, and each payment takes the first return left to it
--       (one return is never two trips). Later cycles between the same two parties join the alert opened by
--       the first one. A small business's ACH payment in a payroll run or to a supplier it paid before is
--       trade: not the first leg of a trip, unless the money comes back from a company of the same name (the
--       same words beside its legal form and line of business: a supplier does not refund through its sister
--       company); nor is its payment to anyone at home, or to a company abroad outside the offshore centres
--       (`offshore_jurisdictions`), followed by one from a company at home of another name (a supplier paid, a
--       client paying), or, once, by one from a person at home. Nor, once, is anyone else's payment at home followed
--       by one from an insurer, a biller, a title or escrow company or a broker-dealer at home (by its name:
--       int_customer_flows.is_named_biller, `property_closing_words`, `brokerage_name_words`) of another name:
--       a claim settled, a refund, a sale's proceeds. Payments to and from accounts of the customer's own name
--       elsewhere (int_own_name_parties) are no trip.
--   PASS_THROUGH (flow-through and shell accounts, trade-based laundering: FinCEN's shell-company and TBML red
--       flags): large wires or ACH in (each at least `pass_through_min_usd`), each followed within
--       `pass_through_days` (and before the next one) by transfers out to other parties of at least
--       `pass_through_cycle_share` of it, across a border (the money came from abroad, or at least half of
--       what left went abroad): at least `pass_through_min_cycles` such cycles within `pass_through_window_days`,
--       together at least `pass_through_min_total_usd`. A business's own trade does not excuse it: a trading
--       company whose every receipt leaves within days is a conduit, whoever its counterparties are. Money
--       paid to billers does not count as moved on.
--   LARGE_RECEIPT_MOVED_ON (business email compromise mules, money "parked" for a few days: FinCEN FIN-2019-A005; a
--       ransom sold for dollars and sent on): a wire or ACH of at least `moved_on_min_usd` from an outside party (not
--       an employer or biller, not the customer's own savings elsewhere: is_own_name_party), or a crypto sale of that
--       much, that is more than everything the customer received (and, for a sale, bought in crypto here) in the
--       `moved_on_history_days` before it (out of all proportion to the account's history: a new account, or a small
--       one; coins from elsewhere), then within `moved_on_hours` payments to at least `moved_on_min_recipients`
--       parties, or that many payments out of reach (below) to one (cash and crypto count as one party each; not bills,
--       employers or agents of many customers, not a business's payroll or suppliers, not a property's price paid to a
--       title or escrow company at home by wire or ACH (`property_closing_words`), not back to the payer or to the customer's own name) taking at least `moved_on_share` of it and at most `moved_on_max_multiple` times what came
--       in (beyond that, savings were spent beside it); and the receipt itself left: at least `moved_on_funded_share`
--       of it beyond what the customer held the day before and what else came in meanwhile (from the start of its day
--       to the last payment), or `moved_on_share` of it out of reach (abroad, in cash, as crypto or by P2P; from a
--       small business, also to a person by wire or ACH) to parties first paid after it arrived (a trading company's
--       float does not hide a receipt wired on to a new payee abroad, nor a business's to new individuals).
--       People paid of whom at least `fan_out_family_share` share a family name with one another or with the customer
--       are a family sharing it (an estate divided among siblings, a prize with relatives), as for FAN_OUT. Receipts whose windows overlap are one alert.
with flows as (
    select * from {{ ref('int_customer_flows') }}
),

inbound as (
    select * from flows
    where flow = 'IN' and channel in ('WIRE', 'ACH', 'P2P') and not is_common_party
),

anchors as (
    select
        a.customer_id,
        a.segment,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        count(distinct i.party_key) as senders,
        sum(i.amount_usd) as inbound_usd,
        coalesce(sum(i.amount_usd) filter (where i.party_first_at >= a.effective_at), 0) as new_sender_usd,
        max(i.effective_at) as last_in_at,
        array_agg(distinct i.channel) as in_channels,
        {{ evidence_ids('i', 'in_') }},
        array_agg(distinct i.account_code) as in_accounts,
        array_agg(distinct i.party_label) as sender_labels
    from inbound as a
    join inbound as i
        on i.customer_id = a.customer_id
        and i.effective_at >= a.effective_at
        and i.effective_at < a.effective_at + interval '{{ var("funnel_in_days") }} days'
    group by a.customer_id, a.segment, a.journal_id, a.effective_at
    having count(distinct i.party_key) >= {{ var('funnel_min_senders') }}
        and sum(i.amount_usd) >= case when a.segment = 'SMALL_BUSINESS' then {{ var('funnel_business_min_usd') }}
                                      else {{ var('funnel_min_usd') }} end
),

drained as (
    select
        a.*,
        sum(o.amount_usd) as outbound_usd,
        max(o.effective_at) as last_out_at,
        count(distinct o.party_key) as recipients,
        array_agg(distinct o.channel) as out_channels,
        count(distinct o.party_key) filter (where o.party_first_at > a.anchor_at) as new_recipients,
        coalesce(sum(o.amount_usd) filter (where o.party_first_at > a.anchor_at), 0) as new_recipient_usd,
        coalesce(max(o.amount_usd) filter (where o.party_first_at > a.anchor_at), 0) as largest_new_usd,
        {{ evidence_ids('o', 'out_') }},
        array_agg(distinct o.account_code) as out_accounts,
        array_agg(distinct o.party_label) as recipient_labels
    from anchors as a
    join flows as o
        on o.customer_id = a.customer_id
        and o.flow = 'OUT'
        and (o.is_business_trade or o.is_refund) is not true
        and o.is_biller is not true
        and o.effective_at > a.anchor_at
        and o.effective_at <= a.last_in_at + interval '{{ var("funnel_out_days") }} days'
    where a.new_sender_usd >= {{ var('funnel_new_sender_share') }} * a.inbound_usd
    group by
        a.customer_id, a.segment, a.anchor_journal_id, a.anchor_at, a.senders, a.inbound_usd, a.new_sender_usd,
        a.last_in_at, a.in_channels, a.in_journal_ids, a.in_reference_ids, a.in_accounts, a.sender_labels
    having sum(o.amount_usd) >= {{ var('funnel_outflow_share') }} * a.inbound_usd
),

-- what could have funded the outflow: every inbound transfer from `funnel_in_days` before the window to
-- its last outflow (a window that starts after the first tenant's rent must still count that rent)
passed_through as (
    select
        d.*,
        {{ customer_balance_usd('d.customer_id', business_day('d.anchor_at') ~ ' - 1') }} as balance_before_usd,
        (
            select sum(i.amount_usd)
            from inbound as i
            where i.customer_id = d.customer_id
                and i.effective_at >= d.anchor_at - interval '{{ var("funnel_in_days") }} days'
                and i.effective_at <= d.last_out_at
        ) as available_usd
    from drained as d
),

qualifying as (
    select *
    from passed_through as d
    where outbound_usd >= {{ var('funnel_outflow_share') }} * available_usd
        -- a crowd of small payers is a seller's customers or a club's members (as for FAN_IN): what it pays out
        -- is its stock, its venue, its kit. Counted from `funnel_in_days` before the window (a window sliding
        -- into the end of a season holds few of them); the small payments must carry most of the money (a dozen
        -- dollars from strangers do not cover a mule's large receipts), and none of it left in cash or crypto
        and not (
            coalesce((
                select
                    {{ small_payer_crowd('c.party_key', 'c.amount_usd') }}
                    and coalesce(sum(c.amount_usd) filter (
                        where c.amount_usd <= {{ var('fan_in_commerce_max_median_usd') }}), 0)
                        >= 0.5 * sum(c.amount_usd)
                from {{ ref('int_customer_flows') }} as c
                where c.customer_id = d.customer_id
                    and c.flow = 'IN'
                    and c.channel in ('WIRE', 'ACH', 'P2P')
                    and not c.is_common_party
                    and c.effective_at >= d.anchor_at - interval '{{ var("funnel_in_days") }} days'
                    and c.effective_at <= d.last_in_at
            ), false)
            and not (d.out_channels && array['CASH_WITHDRAWAL', 'CRYPTO'])
        )
        and (
            outbound_usd - greatest(balance_before_usd, 0) >= {{ var('funnel_funded_share') }} * inbound_usd
            or (
                new_recipients >= {{ var('funnel_min_senders') }}
                and new_recipient_usd >= {{ var('funnel_outflow_share') }} * inbound_usd
                and largest_new_usd <= {{ var('fan_out_max_share') }} * new_recipient_usd
            )
        )
),

bursts as (
    {{ overlapping_as_one('qualifying', 'customer_id', 'anchor_at, anchor_journal_id', 'anchor_at', 'last_out_at') }}
),

funnels as (
    select distinct on (customer_id, episode)
        'FUNNEL_ACCOUNT'::text as rule,
        md5('FUNNEL_ACCOUNT:' || customer_id || ':' || anchor_journal_id) as alert_id,
        customer_id,
        array[customer_id] as customer_ids,
        anchor_at as first_at,
        last_out_at as last_at,
        inbound_usd + outbound_usd as total_amount_usd,
        array(select distinct unnest(in_accounts || out_accounts) order by 1) as account_codes,
        in_journal_ids || out_journal_ids as journal_ids,
        in_reference_ids || out_reference_ids as reference_ids,
        jsonb_build_object(
            'pattern', case when recipients >= {{ var('funnel_min_senders') }} then 'gather-scatter'
                            else 'funnel' end,
            'senders', senders,
            'sender_names', to_jsonb(sender_labels),
            'recipients', recipients,
            'recipient_names', to_jsonb(recipient_labels),
            'inbound_usd', trim_scale(inbound_usd::numeric)::text,
            'new_sender_share', round(new_sender_usd / inbound_usd, 4),
            'outbound_usd', trim_scale(outbound_usd::numeric)::text,
            'outbound_share', round(outbound_usd / inbound_usd, 4),
            'balance_before_usd', trim_scale(round(balance_before_usd::numeric, 2))::text,
            'hours', round(extract(epoch from last_out_at - anchor_at) / 3600, 1)
        ) as details
    from bursts
    order by customer_id, episode, anchor_at, anchor_journal_id
),

external as (
    select
        f.*,
        coalesce({{ is_company_name('f.party_label') }}, false) as is_company,
        -- what tells a company from others: its name's words beside legal forms and lines of business
        case when {{ is_company_name('f.party_label') }} then {{ distinctive_words('f.party_label') }} end as name_core
    from flows as f
    where f.channel in ('WIRE', 'ACH', 'P2P') and f.party_key not like 'C%'
),

-- every transfer out with every one back from another party within the window, amounts alike
{#- two companies of one name ("Sterling Crest BV", "Sterling Crest Group LLP"; not "Global Trading Ltd",
    "Global Logistics BV", whose words are all legal forms and trades) -#}
{%- set same_name = "coalesce(cardinality(sent.name_core) > 0 and sent.name_core = back.name_core, false)" %}
candidates as (
    select
        sent.customer_id,
        sent.party_key as sent_key,
        back.party_key as back_key,
        sent.journal_id as sent_journal_id,
        back.journal_id as back_journal_id,
        -- the party paying back was new when the money went out
        back.party_first_at > sent.effective_at as back_is_new,
        sent.effective_at as sent_at,
        back.effective_at as back_at,
        sent.amount_usd as sent_usd,
        back.amount_usd as back_usd,
        -- a payment at home followed by one from someone at home who pays as a matter of course (once: the same
        -- two parties again and again are judged): to a small business, a person (a supplier paid, a client
        -- paying); to anyone else, an insurer, a biller, a title or escrow company or a broker-dealer by its name
        -- (a claim settled, a refund, a sale's proceeds: its own business, not money sent back; a company of
        -- any other name paying back is a shell's trip)
        coalesce(sent.party_country = sent.customer_country, true)
        and coalesce(back.party_country = sent.customer_country, true)
        and case when sent.segment = 'SMALL_BUSINESS' then not back.is_company
            else (
                coalesce(back.is_named_biller, false)
                or coalesce({{ has_word_of('back.party_label', 'property_closing_words') }}, false)
                or coalesce({{ has_word_of('back.party_label', 'brokerage_name_words') }}, false)
            ) and not {{ same_name }} end as client_paying
    from external as sent
    join external as back
        on back.customer_id = sent.customer_id
        and back.flow = 'IN'
        and back.party_key <> sent.party_key
        and back.party_first_at > sent.party_first_at
        and back.effective_at > sent.effective_at
        and back.effective_at <= sent.effective_at + interval '{{ var("round_trip_max_days") }} days'
        and back.amount_usd between {{ var('round_trip_min_keep') }} * sent.amount_usd
            and {{ var('round_trip_max_keep') }} * sent.amount_usd
    where sent.flow = 'OUT' and sent.amount_usd >= {{ var('round_trip_min_cycle_usd') }}
        and not back.is_common_party and not sent.is_common_party
        -- money to and from accounts of the customer's own name elsewhere is its own, moved about
        and not {{ is_own_name_party('sent') }} and not {{ is_own_name_party('back') }}
        -- a small business's payroll run or supplier ACH is trade: not the first leg of a trip and back,
        -- unless the money comes back from a company of the payee's name
        and ((sent.is_business_trade or sent.is_refund) is not true or {{ same_name }})
        -- nor is a business paying someone at home, or a company abroad outside the offshore centres, and paid by
        -- an unrelated company at home: a supplier (whatever its name looks like: "Intuit ProSeries"; a jeweller's
        -- diamond house in Antwerp) and a client (a refiner buying its scrap). Its trip goes to a person abroad or
        -- a company in an offshore centre (`offshore_jurisdictions`), comes back from abroad, or runs between
        -- companies of one name.
        and (
            sent.segment <> 'SMALL_BUSINESS'
            or not back.is_company
            or {{ same_name }}
            or sent.party_country <> sent.customer_country
                and not (sent.is_company and sent.party_country <> all({{ word_list('offshore_jurisdictions') }}))
            or back.party_country <> sent.customer_country
        )
),

-- one return answers one payment: the latest before it in the band (three payments then one return are one
-- trip, not three), and each payment takes the first return left to it
answered as (
    select distinct on (back_journal_id) *
    from candidates
    order by back_journal_id, sent_at desc, sent_journal_id desc
),

cycles as (
    select distinct on (sent_journal_id) *
    from answered
    order by sent_journal_id, back_at, back_journal_id
),

-- a pair of parties opened by a round trip (the party paying back was new then) and every cycle between them
round_trip_pairs as (
    select
        c.customer_id,
        c.sent_key,
        c.back_key,
        min(c.sent_journal_id) as first_journal_id,
        min(c.sent_at) as first_at,
        max(c.back_at) as last_at,
        count(*) as cycles,
        sum(c.sent_usd) as sent_usd,
        sum(c.back_usd) as back_usd,
        array_agg(c.sent_journal_id order by c.sent_at) as sent_journal_ids,
        array_agg(c.back_journal_id order by c.sent_at) as back_journal_ids
    from cycles as c
    where exists (
        select 1 from cycles as o
        where o.customer_id = c.customer_id and o.sent_key = c.sent_key and o.back_key = c.back_key
            and o.back_is_new
    )
    group by c.customer_id, c.sent_key, c.back_key
    -- worth the trouble: at least `round_trip_min_usd` sent in all, or the trip made again and again
    having (sum(c.sent_usd) >= {{ var('round_trip_min_usd') }} or count(*) >= {{ var('round_trip_min_cycles') }})
        and (count(*) >= 2 or not bool_and(c.client_paying))
),

round_trips as (
    select
        'ROUND_TRIP'::text as rule,
        md5('ROUND_TRIP:' || p.first_journal_id) as alert_id,
        p.customer_id,
        array[p.customer_id] as customer_ids,
        p.first_at,
        p.last_at,
        p.sent_usd + p.back_usd as total_amount_usd,
        array(
            select distinct f.account_code from flows as f
            where f.journal_id = any(p.sent_journal_ids || p.back_journal_ids) and f.customer_id = p.customer_id
            order by 1
        ) as account_codes,
        array(
            select f.journal_id from flows as f
            where f.journal_id = any(p.sent_journal_ids || p.back_journal_ids) and f.customer_id = p.customer_id
            order by f.effective_at, f.journal_id
        ) as journal_ids,
        array(
            select f.reference_id from flows as f
            where f.journal_id = any(p.sent_journal_ids || p.back_journal_ids) and f.customer_id = p.customer_id
            order by f.effective_at, f.journal_id
        ) as reference_ids,
        jsonb_build_object(
            'sent_to', (select f.party_label from flows as f where f.journal_id = p.sent_journal_ids[1] limit 1),
            'returned_by', (select f.party_label from flows as f where f.journal_id = p.back_journal_ids[1] limit 1),
            'cycles', p.cycles,
            'sent_usd', trim_scale(p.sent_usd::numeric)::text,
            'returned_usd', trim_scale(p.back_usd::numeric)::text,
            'returned_share', round(p.back_usd / p.sent_usd, 4)
        ) as details
    from round_trip_pairs as p
),

-- large receipts by wire or ACH, each with the next one's time (what leaves after it is its own)
pass_in as (
    select
        f.*,
        lead(f.effective_at) over (partition by f.customer_id order by f.effective_at, f.journal_id) as next_in_at
    from flows as f
    where f.flow = 'IN'
        and f.channel in ('WIRE', 'ACH')
        and not f.is_common_party
        and f.amount_usd >= {{ var('pass_through_min_usd') }}
),

-- each receipt with what left for other parties within `pass_through_days`, before the next receipt
pass_cycles as (
    select
        i.customer_id,
        i.journal_id,
        i.reference_id,
        i.account_code,
        i.effective_at,
        i.amount_usd,
        i.party_label,
        i.party_country <> i.customer_country as from_abroad,
        coalesce(sum(o.amount_usd), 0) as out_usd,
        coalesce(sum(o.amount_usd) filter (where o.party_country <> o.customer_country), 0) as out_abroad_usd,
        max(o.effective_at) as last_out_at,
        coalesce(array_agg(o.journal_id order by o.effective_at, o.journal_id)
            filter (where o.journal_id is not null), '{}') as out_journal_ids,
        coalesce(array_agg(o.reference_id order by o.effective_at, o.journal_id)
            filter (where o.journal_id is not null), '{}') as out_reference_ids,
        coalesce(array_agg(distinct o.account_code) filter (where o.journal_id is not null), '{}') as out_accounts,
        coalesce(array_agg(distinct o.party_label) filter (where o.journal_id is not null), '{}') as recipients
    from pass_in as i
    left join flows as o
        on o.customer_id = i.customer_id
        and o.flow = 'OUT'
        and o.channel in ('WIRE', 'ACH', 'P2P')
        and not o.is_common_party
        and o.is_biller is not true
        and o.party_key <> i.party_key
        and o.effective_at > i.effective_at
        and o.effective_at <= i.effective_at + interval '{{ var("pass_through_days") }} days'
        and (i.next_in_at is null or o.effective_at < i.next_in_at)
    group by
        i.customer_id, i.journal_id, i.reference_id, i.account_code, i.effective_at, i.amount_usd, i.party_label,
        i.party_country, i.customer_country
),

pass_matched as (
    select *
    from pass_cycles
    where out_usd >= {{ var('pass_through_cycle_share') }} * amount_usd
        and (coalesce(from_abroad, false) or out_abroad_usd >= 0.5 * out_usd)
),

pass_anchors as (
    select
        a.customer_id,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        max(coalesce(m.last_out_at, m.effective_at)) as last_at
    from pass_matched as a
    join pass_matched as m
        on m.customer_id = a.customer_id
        and m.effective_at >= a.effective_at
        and m.effective_at < a.effective_at + interval '{{ var("pass_through_window_days") }} days'
    group by a.customer_id, a.journal_id, a.effective_at
    having count(*) >= {{ var('pass_through_min_cycles') }}
        and sum(m.amount_usd) >= {{ var('pass_through_min_total_usd') }}
),

pass_bursts as (
    {{ overlapping_as_one('pass_anchors', 'customer_id', 'anchor_at, anchor_journal_id', 'anchor_at', 'last_at') }}
),

pass_episodes as (
    select customer_id, episode, min(anchor_at) as first_at, max(last_at) as last_at,
           min(anchor_journal_id) as key
    from pass_bursts
    group by customer_id, episode
),

pass_members as (
    select e.key, m.*
    from pass_episodes as e
    join pass_matched as m
        on m.customer_id = e.customer_id
        and m.effective_at >= e.first_at
        and m.effective_at <= e.last_at
),

pass_summary as (
    select
        customer_id,
        key,
        min(effective_at) as first_at,
        max(coalesce(last_out_at, effective_at)) as last_at,
        count(*) as cycles,
        sum(amount_usd) as received_usd,
        sum(out_usd) as moved_on_usd,
        percentile_cont(0.5) within group (order by extract(epoch from last_out_at - effective_at) / 3600)
            as median_hours_to_last_outflow
    from pass_members
    group by customer_id, key
),

pass_throughs as (
    select
        'PASS_THROUGH'::text as rule,
        md5('PASS_THROUGH:' || p.customer_id || ':' || p.key) as alert_id,
        p.customer_id,
        array[p.customer_id] as customer_ids,
        p.first_at,
        p.last_at,
        p.received_usd + p.moved_on_usd as total_amount_usd,
        {{ episode_evidence('pass_members', 'm.customer_id = p.customer_id and m.key = p.key',
                            'account_code', 'journal_id', 'reference_id', 'effective_at') }},
        jsonb_build_object(
            'cycles', p.cycles,
            'received_usd', trim_scale(p.received_usd::numeric)::text,
            'moved_on_usd', trim_scale(p.moved_on_usd::numeric)::text,
            'moved_on_share', round(p.moved_on_usd / p.received_usd, 4),
            'median_hours_to_last_outflow', round(p.median_hours_to_last_outflow::numeric, 1),
            'senders', (
                select to_jsonb(array_agg(distinct m.party_label))
                from pass_members as m where m.customer_id = p.customer_id and m.key = p.key
            ),
            'recipients', (
                select to_jsonb(array_agg(distinct r.label))
                from pass_members as m
                cross join lateral unnest(m.recipients) as r (label)
                where m.customer_id = p.customer_id and m.key = p.key
            )
        ) as details
    from pass_summary as p
),

-- receipts out of proportion to the customer's history: more than all it received in the days before (read
-- by the table's index on customer and time; materialized: computed once per receipt, not per payment after it)
moved_receipts as materialized (
    select
        f.*,
        coalesce((
            select sum(h.amount_usd) from {{ ref('int_customer_flows') }} as h
            where h.customer_id = f.customer_id
                -- (crypto bought here and sold again is no new money)
                and (h.flow = 'IN' or (f.party_key = 'CRYPTO' and h.party_key = 'CRYPTO'))
                and h.effective_at >= f.effective_at - interval '{{ var("moved_on_history_days") }} days'
                and h.effective_at < f.effective_at
        ), 0) as received_before_usd
    from flows as f
    where f.flow = 'IN'
        and ((f.channel in ('WIRE', 'ACH') and not f.is_common_party) or f.party_key = 'CRYPTO')
        and f.amount_usd >= {{ var('moved_on_min_usd') }}
        and not {{ is_own_name_party('f') }}
),

-- each such receipt with what left for others within `moved_on_hours` of it
{#- out of reach: to parties first paid since it arrived, abroad, in cash, as crypto or by P2P, or from a small
    business to a person (not a company's name): a business's large payments go to companies; a business email
    compromise mule pays the money out to individuals' accounts (FinCEN FIN-2019-A005) #}
{%- set out_of_reach = "o.party_first_at >= i.effective_at and (o.party_key in ('CASH', 'CRYPTO')"
    ~ " or o.channel = 'P2P' or o.party_country <> o.customer_country"
    ~ " or (o.segment = 'SMALL_BUSINESS' and o.channel in ('WIRE', 'ACH')"
    ~ " and not coalesce(" ~ is_company_name('o.party_label') ~ ", false)))" %}
moved_pieces as (
    select
        i.customer_id,
        i.journal_id as anchor_journal_id,
        i.reference_id as anchor_reference_id,
        i.account_code as anchor_account,
        i.effective_at as anchor_at,
        i.amount_usd as received_usd,
        i.received_before_usd,
        i.party_label as payer,
        count(distinct o.party_key) as recipients_count,
        sum(o.amount_usd) as out_usd,
        -- to parties first paid since it arrived, out of reach: abroad, in cash, as crypto or by P2P
        coalesce(sum(o.amount_usd) filter (where {{ out_of_reach }}), 0) as new_party_usd,
        max(o.effective_at) as last_out_at,
        {{ evidence_ids('o', 'out_') }},
        array_agg(distinct o.account_code) as out_accounts,
        array_agg(distinct o.party_label) as recipients
    from moved_receipts as i
    join flows as o
        on o.customer_id = i.customer_id
        and o.flow = 'OUT'
        and not o.is_common_party
        and (o.is_business_trade or o.is_refund) is not true
        -- a property's price paid to a title or escrow company at home by wire or ACH is spent, as a bill is (a home
        -- sold, the next bought)
        and not (
            o.channel in ('WIRE', 'ACH')
            and coalesce(o.party_country = o.customer_country, true)
            and coalesce({{ has_word_of('o.party_label', 'property_closing_words') }}, false)
        )
        and o.party_key <> i.party_key
        and o.effective_at > i.effective_at
        and o.effective_at <= i.effective_at + interval '{{ var("moved_on_hours") }} hours'
        and not {{ is_own_name_party('o') }}
    where i.amount_usd > i.received_before_usd
    group by
        i.customer_id, i.journal_id, i.reference_id, i.account_code, i.effective_at, i.amount_usd,
        i.received_before_usd, i.party_label
    -- in pieces: to several parties, or in several payments out of reach (a mule's wires to one company
    -- abroad; a house's deposit and balance to one title company at home are one party)
    having (
            count(distinct o.party_key) >= {{ var('moved_on_min_recipients') }}
            or count(distinct o.journal_id) filter (where {{ out_of_reach }}) >= {{ var('moved_on_min_recipients') }}
        )
        and sum(o.amount_usd) >= {{ var('moved_on_share') }} * i.amount_usd
        -- an estate divided among siblings: most of the people paid share a family name (as for FAN_OUT)
        and {{ kin_share(
            "select k.party_label from " ~ ref('int_customer_flows') ~ " as k where k.customer_id = i.customer_id"
            ~ " and k.flow = 'OUT' and k.effective_at > i.effective_at"
            ~ " and k.effective_at <= i.effective_at + interval '" ~ var('moved_on_hours') ~ " hours'",
            customer_id='i.customer_id'
        ) }} < {{ var('fan_out_family_share') }}
),

-- the receipt itself left: what went out beyond the balance of the day before and other money that came in
-- meanwhile, or what went out of reach to parties first paid since
moved_funded as (
    select *
    from (
        select
            m.*,
            {{ customer_balance_usd('m.customer_id', business_day('m.anchor_at') ~ ' - 1') }} as balance_before_usd,
            coalesce((
                select sum(f.amount_usd) from {{ ref('int_customer_flows') }} as f
                where f.customer_id = m.customer_id
                    and f.flow = 'IN'
                    and f.journal_id <> m.anchor_journal_id
                    and f.effective_at >= {{ business_day('m.anchor_at') }}::timestamp at time zone 'UTC'
                    and f.effective_at <= m.last_out_at
            ), 0) as other_in_usd
        from moved_pieces as m
    ) as m
    -- the money that came in moved on, not savings spent beside it (a car bought the day a bonus came)
    where m.out_usd <= {{ var('moved_on_max_multiple') }} * (m.received_usd + m.other_in_usd)
        and (
            m.out_usd - greatest(m.balance_before_usd, 0) - m.other_in_usd
                >= {{ var('moved_on_funded_share') }} * m.received_usd
            or m.new_party_usd >= {{ var('moved_on_share') }} * m.received_usd
        )
),

moved_bursts as (
    {{ overlapping_as_one('moved_funded', 'customer_id', 'anchor_at, anchor_journal_id', 'anchor_at', 'last_out_at') }}
),

-- what left in an episode, each payment once (one piece may follow two receipts)
moved_episodes as (
    select
        b.customer_id,
        b.episode,
        min(b.anchor_journal_id) as key,
        min(b.anchor_at) as first_at,
        max(b.last_out_at) as last_at,
        count(*) as receipts,
        sum(b.received_usd) as received_usd,
        (array_agg(b.received_before_usd order by b.anchor_at, b.anchor_journal_id))[1] as received_before_usd,
        array_agg(distinct b.payer) as payers,
        -- each payment once, read by the table's index
        (
            select sum(f.amount_usd)
            from {{ ref('int_customer_flows') }} as f
            where f.customer_id = b.customer_id
                and f.flow = 'OUT'
                and f.journal_id = any(array(
                    select unnest(x.out_journal_ids) from moved_bursts as x
                    where x.customer_id = b.customer_id and x.episode = b.episode
                ))
        ) as moved_on_usd
    from moved_bursts as b
    group by b.customer_id, b.episode
),

moved_on as (
    select
        'LARGE_RECEIPT_MOVED_ON'::text as rule,
        md5('LARGE_RECEIPT_MOVED_ON:' || e.key) as alert_id,
        e.customer_id,
        array[e.customer_id] as customer_ids,
        e.first_at,
        e.last_at,
        e.received_usd + e.moved_on_usd as total_amount_usd,
        {{ episode_evidence('moved_bursts', 'm.customer_id = e.customer_id and m.episode = e.episode',
                            'anchor_account', 'anchor_journal_id', 'anchor_reference_id', 'anchor_at') }},
        jsonb_build_object(
            'receipts', e.receipts,
            'payers', to_jsonb(e.payers),
            'received_usd', trim_scale(e.received_usd::numeric)::text,
            'first_receipt_received_in_the_days_before_usd', trim_scale(round(e.received_before_usd::numeric, 2))::text,
            'moved_on_usd', trim_scale(e.moved_on_usd::numeric)::text,
            'moved_on_share', round(e.moved_on_usd / e.received_usd, 4),
            'recipients', (
                select to_jsonb(array_agg(distinct r.label order by r.label))
                from moved_bursts as b
                cross join lateral unnest(b.recipients) as r (label)
                where b.customer_id = e.customer_id and b.episode = e.episode
            ),
            'hours_to_last_payment', round(extract(epoch from e.last_at - e.first_at) / 3600, 1)
        ) as details
    from moved_episodes as e
)

{{ alert_rows('(select * from funnels union all select * from round_trips union all select * from pass_throughs
    union all select * from moved_on)') }}
