-- Fans over the transfer graph (int_transfer_edges: employers, billers, cash and crypto are not nodes).
--   FAN_OUT (AMLworld fan-out, scatter): within `fan_out_window_days`, one customer pays at least
--       `fan_out_min_recipients` distinct parties, together at least `fan_out_min_usd`, no single payment
--       more than `fan_out_max_share` of the total (money split, not bills led by the rent), and either the
--       money had just arrived (in the `fan_out_funding_days` before the first payment and until the last
--       the customer received, from at most `fan_out_max_sources` parties, at least `fan_out_funded_share`
--       of what it paid out, and at least `fan_out_min_new_share` of the recipients new to it: suppliers
--       and staff paid every week are not a fan-out; nor, for a small business, a payee it pays again
--       `fan_out_business_repeat_days` or more later, whole history: an agent paid a split of every commission)
--       or the customer scattered what it held: every recipient new to it and the
--       payments at least `fan_out_drain_share` of what its paying accounts held (the previous day's close
--       plus that day's inflows before the first payment), or, not a business, it paid at least
--       `fan_out_wide_new_recipients` parties new to it, each at least `fan_out_wide_min_payment_usd` in a payment
--       (the shape alone, wide enough to stand on its own: twice the minimum degree; a treasurer paying referees
--       fifty each is no scatter). A small business's trade (payroll, suppliers:
--       int_customer_flows.is_business_trade), nor a refund (a payer's money going back: is_refund), is not part
--       of a fan-out. Recipients of whom at least
--       `fan_out_family_share` share a family name with another recipient or with the customer (by the names on
--       the payments; other customers, named by account, and companies do not count: siblings who bank here too
--       are named by account) are a family sharing money out (an inheritance divided among siblings, a prize
--       shared with relatives), not a fan-out.
--   FAN_IN (AMLworld fan-in): within `fan_in_window_days`, a customer who is not a business and whose
--       declared occupation does not make collecting from many people its trade (`fan_in_collector_occupation_words`:
--       landlords, letting agents, ...) receives from
--       at least `fan_in_min_senders` distinct parties it had never dealt with, together at least
--       `fan_in_min_usd`, no single payment more than `fan_in_max_share` of the total, and at least
--       `fan_in_baseline_multiple` times what it usually received in such a window from parties new to it
--       over the `fan_in_lookback_days` before, per window of the history it has there (a new account has no usual; a
--       salary is not counted). A small business, which lives on
--       payments from many clients, is judged only against at least `fan_in_min_history_days` of its own
--       history, at `fan_in_business_baseline_multiple` times its usual. Senders of whom at least
--       `fan_in_family_share` share a family name with another sender or with the customer (by the names on the payments) are a
--       family supporting one of its own (a student's relatives), not a fan-in. A crowd of at least
--       `fan_in_commerce_min_senders` payers whose median payment is at most `fan_in_commerce_max_median_usd`
--       (to a small business, any number of new payers whose median is at most
--       `fan_in_business_commerce_max_median_usd`: a service's clients)
--       is a seller's customers, not a fan-in; nor is a window in which a platform paid the customer out
--       (`platform_payer_words`: a marketplace, a crowdfunding site) at least `fan_in_platform_share` of
--       what came in: the others are its buyers or donors. A customer whose declared occupation is self-employed
--       work (`self_employed_occupation_words`: a freelancer, a consultant, a photographer) receiving at least
--       `fan_in_client_share` of the window, or from that share of its payers, from organisations
--       (int_customer_flows.is_organisation: companies, insurers, agencies) by ACH or wire, or a small business
--       receiving that share from organisations by ACH (invoices, cheques: a roofer by homeowners' insurers after a
--       storm; companies wiring it money are judged: a business email compromise's victims), or by ACH or wire when
--       its declared trade is commissions (`commission_agency_occupation_phrases`), is paid by clients,
--       not a fan-in
--       (money it moves on is still judged by the funnel rules). Nor is money followed, within twice the
--       window, by a payment to a biller (by name) of at least `fan_in_housing_share` of it: to a biller first
--       paid then (a hospital paid out of a fundraiser), or to any when at least half of it was paid as rent
--       (`fan_in_rent_words` in the payments' references): rents collected, then the mortgage (whoever the
--       landlord says they are).
-- Windows slide over every payment; overlapping ones are one alert.
{%- set commission_agency = "coalesce(" ~ has_phrase_of('c.occupation', 'commission_agency_occupation_phrases') ~ ", false)" %}
with edges as (
    select e.*, c.segment
    from {{ ref('int_transfer_edges') }} as e
    left join {{ ref('stg_ledger__customers') }} as c
        on c.customer_id = coalesce(e.src_customer_id, e.dst_customer_id)
),

flows as (
    select * from {{ ref('int_customer_flows') }}
),

-- a small business's payees it paid on occasions at least `fan_out_business_repeat_days` apart: an agent paid
-- a split of every commission, a contractor paid every fortnight (whole history, like the common parties)
business_repeat_payees as (
    select customer_id, party_key
    from flows
    where flow = 'OUT' and segment = 'SMALL_BUSINESS'
    group by customer_id, party_key
    having max(effective_at) - min(effective_at) >= interval '{{ var("fan_out_business_repeat_days") }} days'
),

out_anchors as (
    select
        a.src_customer_id as customer_id,
        a.segment,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        count(distinct o.dst) as recipients,
        -- recipients first paid in the window (by account or by name: a vendor paid at a new account each time
        -- is not new), each counted at its first payment; for the wide branch, those paid at least
        -- `fan_out_wide_min_payment_usd` in a payment of the window (a first payment of a dollar does not hide them)
        count(distinct o.dst) filter (
            where f.payee_first_at = o.effective_at and r.party_key is null
        ) as new_recipients,
        count(distinct o.dst) filter (
            where f.payee_first_at >= a.effective_at and r.party_key is null
                and o.amount_usd >= {{ var('fan_out_wide_min_payment_usd') }}
        ) as wide_recipients,
        sum(o.amount_usd) as out_usd,
        max(o.amount_usd) as largest_usd,
        max(o.effective_at) as last_at,
        array_agg(distinct o.channel) as channels,
        array_agg(distinct o.src_account) as accounts
    from edges as a
    join edges as o
        on o.src = a.src
        and o.effective_at >= a.effective_at
        and o.effective_at < a.effective_at + interval '{{ var("fan_out_window_days") }} days'
    join flows as f
        on f.journal_id = o.journal_id and f.customer_id = o.src_customer_id
    left join business_repeat_payees as r
        on r.customer_id = o.src_customer_id and r.party_key = o.dst
    where a.src_customer_id is not null and (a.is_business_trade or a.is_refund) is not true
        and (o.is_business_trade or o.is_refund) is not true
    group by a.src_customer_id, a.src, a.segment, a.journal_id, a.effective_at
    having count(distinct o.dst) >= {{ var('fan_out_min_recipients') }}
        and sum(o.amount_usd) >= {{ var('fan_out_min_usd') }}
        and max(o.amount_usd) <= {{ var('fan_out_max_share') }} * sum(o.amount_usd)
        -- an estate shared among siblings, a prize shared with relatives: most of the named recipients (of this
        -- window and the one before: a window starting at the last sibling's share still sees the others) share a
        -- family name with one another or with the customer
        and {{ kin_share(
            "select o2.party_label from edges as o2 where o2.src = a.src and o2.effective_at > a.effective_at"
            ~ " - interval '" ~ var('fan_out_window_days') ~ " days'"
            ~ " and o2.effective_at < a.effective_at + interval '" ~ var('fan_out_window_days') ~ " days'"
            ~ " and (o2.is_business_trade or o2.is_refund) is not true",
            customer_id='a.src_customer_id'
        ) }} < {{ var('fan_out_family_share') }}
),

out_funded as (
    select
        a.customer_id, a.segment, a.anchor_journal_id, a.anchor_at, a.last_at, a.recipients,
        a.new_recipients, a.wide_recipients, a.out_usd, a.accounts,
        coalesce(sum(i.amount_usd), 0) as funding_usd,
        count(distinct i.party_key) as sources
    from out_anchors as a
    left join flows as i
        on i.customer_id = a.customer_id
        and i.flow = 'IN'
        and not i.is_common_party
        and i.effective_at >= a.anchor_at - interval '{{ var("fan_out_funding_days") }} days'
        and i.effective_at <= a.last_at
    group by a.customer_id, a.segment, a.anchor_journal_id, a.anchor_at, a.last_at,
        a.recipients, a.new_recipients, a.wide_recipients, a.out_usd, a.accounts
),

out_judged as (
    select *
    from out_funded as a
    where (
            a.funding_usd >= {{ var('fan_out_funded_share') }} * a.out_usd
            and a.sources <= {{ var('fan_out_max_sources') }}
            and a.new_recipients >= {{ var('fan_out_min_new_share') }} * a.recipients
        )
        -- the shape alone, when it is wide: a retail customer paying many parties it never paid before
        or (
            a.segment <> 'SMALL_BUSINESS'
            and a.wide_recipients >= {{ var('fan_out_wide_new_recipients') }}
        )
        or (
            a.new_recipients = a.recipients
            and a.out_usd >= {{ var('fan_out_drain_share') }} * (
                {{ accounts_balance_usd('a.customer_id', 'a.accounts', business_day('a.anchor_at') ~ ' - 1') }}
                + coalesce((
                    select sum(i.amount_usd)
                    from flows as i
                    where i.customer_id = a.customer_id
                        and i.account_code = any(a.accounts)
                        and i.flow = 'IN'
                        and i.effective_at < a.anchor_at
                        and i.effective_at >= date_trunc('day', a.anchor_at at time zone 'UTC') at time zone 'UTC'
                ), 0)
            )
        )
),

party_first as (
    select customer_id, party_key, min(party_first_at) as party_first_at
    from flows
    group by customer_id, party_key
),

{%- set self_employed = "coalesce(" ~ has_word_of('c.occupation', 'self_employed_occupation_words') ~ ", false)" %}
{%- set client_payment = "i.is_organisation and (i.channel = 'ACH' or i.channel = 'WIRE' and (" ~ self_employed ~ " or " ~ commission_agency ~ "))" %}
in_anchors as (
    select
        a.dst_customer_id as customer_id,
        -- the receiver's segment (an edge's own is its payer's when the payer is a customer)
        c.segment,
        a.journal_id as anchor_journal_id,
        a.effective_at as anchor_at,
        count(distinct i.src) as senders,
        sum(i.amount_usd) as in_usd,
        max(i.amount_usd) as largest_usd,
        percentile_cont(0.5) within group (order by i.amount_usd) as median_usd,
        max(i.effective_at) as last_at
    from edges as a
    join edges as i
        on i.dst = a.dst
        and i.effective_at >= a.effective_at
        and i.effective_at < a.effective_at + interval '{{ var("fan_in_window_days") }} days'
    -- when the receiver first dealt with the sender (read from the receiver's side: a transfer between
    -- customers posted as a wire out and a wire in is two journals)
    join party_first as f
        on f.customer_id = i.dst_customer_id and f.party_key = i.src
    join {{ ref('stg_ledger__customers') }} as c on c.customer_id = a.dst_customer_id
    where a.dst_customer_id is not null
        and not coalesce({{ has_word_of('c.occupation', 'fan_in_collector_occupation_words') }}, false)
        and f.party_first_at >= a.effective_at
    group by a.dst_customer_id, a.dst, c.segment, c.occupation, a.journal_id, a.effective_at
    having count(distinct i.src) >= {{ var('fan_in_min_senders') }}
        and sum(i.amount_usd) >= {{ var('fan_in_min_usd') }}
        and max(i.amount_usd) <= {{ var('fan_in_max_share') }} * sum(i.amount_usd)
        -- a family supporting one of its own: most senders share a family name with another one or with the
        -- customer. Outside
        -- senders are named; other customers paying in count as people of no family here: an edge from
        -- another customer is read from the payer's side, its label the name the payer gave the receiver
        -- (the receiver's own, which would make any sender of that family name look like kin)
        and {{ kin_share(
            "select i2.party_label from edges as i2 where i2.dst = a.dst and i2.effective_at >= a.effective_at"
            ~ " and i2.effective_at < a.effective_at + interval '" ~ var('fan_in_window_days') ~ " days'"
            ~ " and i2.src_customer_id is null",
            unnamed="count(distinct i.src) filter (where i.src_customer_id is not null)",
            customer_id='a.dst_customer_id'
        ) }} < {{ var('fan_in_family_share') }}
        -- the self-employed paid by clients: most of it, or most of the payers, organisations by ACH or wire
        -- (invoices; a friend's one large payment beside them does not make the agencies a fan-in); a business
        -- paid by organisations by ACH (invoices and cheques: a roofer's insurers after a storm; new companies
        -- wiring a business money are a business email compromise's victims, judged), or by ACH or wire when its
        -- trade is commissions (`commission_agency_occupation_phrases`: a realty's title companies)
        and not (
            (c.segment = 'SMALL_BUSINESS' or {{ self_employed }})
            and (
                coalesce(sum(i.amount_usd) filter (where {{ client_payment }}), 0)
                    >= {{ var('fan_in_client_share') }} * sum(i.amount_usd)
                or count(distinct i.src) filter (where {{ client_payment }})
                    >= {{ var('fan_in_client_share') }} * count(distinct i.src)
            )
        )
        -- a crowd of small payers is a seller's customers (a marketplace shop, a ticket sale), not a fan-in
        and not {{ small_payer_crowd('i.src', 'i.amount_usd') }}
        -- nor are a small business's new payers paying a median of a service's fee, however many in the window
        -- (a window sliding into the start or the end of a busy season holds few of them)
        and not (
            c.segment = 'SMALL_BUSINESS'
            and percentile_cont(0.5) within group (order by i.amount_usd)
                <= {{ var('fan_in_business_commerce_max_median_usd') }}
        )
        -- a seller or a fundraiser paid out by a platform (a marketplace, a crowdfunding site) for at least
        -- `fan_in_platform_share` of what came in (new or long-standing payer): the people paying it directly
        -- are its buyers or donors
        and coalesce((
            select sum(p.amount_usd) filter (where {{ has_word_of('p.party_label', 'platform_payer_words') }})
                / nullif(sum(p.amount_usd), 0)
            from edges as p
            where p.dst = a.dst
                and p.effective_at >= a.effective_at
                and p.effective_at < a.effective_at + interval '{{ var("fan_in_window_days") }} days'
        ), 0) < {{ var('fan_in_platform_share') }}
),

-- what the customer received from parties new to it (money from its employer, or anyone it has dealt with for a
-- while, is not what a fan-in is made of) over its history in the lookback
in_history as (
    select
        a.*,
        -- within the lookback: an account quiet before it has no usual to judge a business by (its clients coming
        -- back after a season), and a new one's usual is its few weeks' (a quiet account primed with a payment from
        -- a new party days before raises its own usual: a baseline's known blind spot)
        (
            select extract(epoch from a.anchor_at - min(h.effective_at)) / 86400
            from flows as h
            where h.customer_id = a.customer_id and h.effective_at < a.anchor_at
                and h.effective_at >= a.anchor_at - interval '{{ var("fan_in_lookback_days") }} days'
        ) as history_days,
        coalesce((
            select sum(h.amount_usd)
            from flows as h
            where h.customer_id = a.customer_id
                and h.flow = 'IN'
                and h.channel in ('WIRE', 'ACH', 'P2P')
                and not h.is_common_party
                and h.party_first_at > h.effective_at - interval '{{ var("fan_in_window_days") }} days'
                and h.effective_at < a.anchor_at
                and h.effective_at >= a.anchor_at - interval '{{ var("fan_in_lookback_days") }} days'
        ), 0) as history_usd,
        -- what the window's new payers paid as rent (known tenants' rent does not speak for strangers)
        coalesce((
            select sum(r.amount_usd)
            from flows as r
            where r.customer_id = a.customer_id
                and r.flow = 'IN'
                and r.effective_at >= a.anchor_at
                and r.effective_at <= a.last_at
                and r.party_first_at >= a.anchor_at
                and {{ has_word_of('r.description', 'fan_in_rent_words') }}
        ), 0) as rent_usd
    from in_anchors as a
),

-- ... per window: spread over the history it has (at least a window, at most the lookback: a month-old account's
-- month, not two)
in_baseline as (
    select
        a.*,
        a.history_usd * {{ var('fan_in_window_days') }} / least(
            {{ var('fan_in_lookback_days') }}, greatest(coalesce(a.history_days, 0), {{ var('fan_in_window_days') }})
        ) as usual_usd
    from in_history as a
),

in_unusual as (
    select a.*
    from in_baseline as a
    where case
        when a.segment = 'SMALL_BUSINESS' then
            a.history_days >= {{ var('fan_in_min_history_days') }}
            and a.in_usd >= {{ var('fan_in_business_baseline_multiple') }} * a.usual_usd
        else a.in_usd >= {{ var('fan_in_baseline_multiple') }} * a.usual_usd
    end
        -- money collected for a bill: a payment to a biller (by name) of at least `fan_in_housing_share` of
        -- it within the window after the first, to a biller first paid then (a hospital paid out of a
        -- fundraiser, a funeral home out of a family's collection), or, when at least half of the money was
        -- paid as rent (its reference has a word of `fan_in_rent_words`), to any (rents collected, then the
        -- mortgage). A bill paid every month excuses nothing alone: a collector of strangers' money may have
        -- a home loan too.
        and not {{ pays_new_biller(
            'flows', 'a.customer_id', 'a.anchor_at',
            "a.anchor_at + 2 * interval '" ~ var('fan_in_window_days') ~ " days'",
            var('fan_in_housing_share') ~ ' * a.in_usd',
            any_biller_when='a.rent_usd >= 0.5 * a.in_usd'
        ) }}
),

candidates as (
    select 'FAN_OUT'::text as rule, customer_id, anchor_journal_id, anchor_at, last_at from out_judged
    union all
    select 'FAN_IN', customer_id, anchor_journal_id, anchor_at, last_at from in_unusual
),

bursts as (
    {{ overlapping_as_one('candidates', 'rule, customer_id', 'anchor_at, anchor_journal_id', 'anchor_at', 'last_at') }}
),

episodes as (
    select rule, customer_id, episode, min(anchor_at) as first_at, max(last_at) as last_at,
           min(anchor_journal_id) as key
    from bursts
    group by rule, customer_id, episode
),

members as (
    select e.rule, e.customer_id, e.key, x.*
    from episodes as e
    join edges as x
        on x.effective_at >= e.first_at
        and x.effective_at <= e.last_at
        and case e.rule when 'FAN_OUT' then x.src = 'C' || e.customer_id else x.dst = 'C' || e.customer_id end
),

alerts as (
    select
        m.rule,
        md5(m.rule || ':' || m.customer_id || ':' || m.key) as alert_id,
        m.customer_id,
        array(
            select distinct x from unnest(
                array[m.customer_id] || array_agg(coalesce(
                    case when m.rule = 'FAN_OUT' then m.dst_customer_id else m.src_customer_id end, m.customer_id))
            ) as x
        ) as customer_ids,
        min(m.effective_at) as first_at,
        max(m.effective_at) as last_at,
        sum(m.amount_usd) as total_amount_usd,
        array(
            select distinct a from unnest(array_agg(m.src_account) || array_agg(m.dst_account)) as a
            where a is not null order by 1
        ) as account_codes,
        {{ evidence_ids('m') }},
        jsonb_build_object(
            case m.rule when 'FAN_OUT' then 'recipients' else 'senders' end,
            count(distinct case m.rule when 'FAN_OUT' then m.dst else m.src end),
            'parties', to_jsonb(array_agg(distinct m.party_label)),
            'channels', to_jsonb(array_agg(distinct m.channel)),
            'largest_share', round(max(m.amount_usd) / sum(m.amount_usd), 4),
            'days', round(extract(epoch from max(m.effective_at) - min(m.effective_at)) / 86400, 1)
        ) as details
    from members as m
    group by m.rule, m.customer_id, m.key
)

{{ alert_rows('alerts') }}
