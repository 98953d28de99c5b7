-- Money moving in or out of customer accounts: one row per journal line on a customer account, with what
-- the rest of its journal says about it. Every compliance mart starts here or at int_customer_flows.
--   flow               IN when the line grows the customer's balance (a credit to their liability), else OUT
--   is_cash            a cash deposit or withdrawal (channel CASH_DEPOSIT / CASH_WITHDRAWAL)
--   is_external        a wire, ACH or P2P with a named party outside the platform
--   other_customer_id  for a movement between two customers' accounts, the other customer: both sides in
--                      one journal, or a wire/ACH/P2P whose counterparty account identifier is a customer
--                      account's code (an on-us transfer posted as two movements, out and in); a payment
--                      to the customer's own account elsewhere on the platform has no other party
--   counterparty       who is on the other side, as a person would read it: the outside party's name, or
--                      for P2P between customers the other customer's account code
--   party_key          the other side as a node of the transfer graph (macro party_key): another customer
--                      (`C<customer_id>`), an outside party by account identifier (`A:<account>`) or, when
--                      it gave none, by normalised name (`N:<name>`), cash (`CASH`); each outside payer is
--                      a party of its own
--   description        the payment's own words (a payer's reference: "RENT", "PAYROLL"), as posted
--   is_customer_initiated  everything but fees, the platform's own bookkeeping and reversals (what dormancy
--                      is judged on)
-- Indexed by customer and time: the rules ask what a customer's accounts held at a moment (velocity).
{{ config(indexes=[{'columns': ['customer_id', 'effective_at']}]) }}

with journals as (
    select
        journal_id,
        count(distinct customer_id) filter (where is_customer_account) as customers,
        min(customer_id) filter (where is_customer_account) as first_customer_id,
        max(customer_id) filter (where is_customer_account) as last_customer_id,
        min(account_code) filter (where is_customer_account) as first_customer_account,
        max(account_code) filter (where is_customer_account) as last_customer_account
    from {{ ref('fct_journal_lines') }}
    group by journal_id
),

lines as (
    select
        l.*,
        h.counterparty_name,
        h.counterparty_account,
        h.counterparty_country,
        h.location,
        h.description,
        case
            when j.customers = 2 then
                case when l.customer_id = j.first_customer_id then j.last_customer_id else j.first_customer_id end
        end as other_customer_id,
        case when l.account_code = j.first_customer_account then j.last_customer_account
             else j.first_customer_account end as other_customer_account
    from {{ ref('fct_journal_lines') }} as l
    join journals as j using (journal_id)
    join {{ ref('stg_ledger__journal_entries') }} as h using (journal_id)
    where l.is_customer_account
),

-- customer accounts by their code as an account identifier (the party_key spelling: letters and digits)
own_accounts as (
    select upper(regexp_replace(account_code, '[^A-Za-z0-9]', '', 'g')) as identifier, account_code as code, customer_id
    from {{ ref('stg_ledger__accounts') }}
    where customer_id is not null
),

resolved as (
    select
        l.*,
        coalesce(
            l.other_customer_id,
            case when o.customer_id <> l.customer_id then o.customer_id end
        ) as resolved_customer_id,
        case when l.other_customer_id is not null then l.other_customer_account else o.code end as resolved_account,
        l.other_customer_id is null and o.customer_id = l.customer_id as is_own_account
    from lines as l
    left join own_accounts as o
        on l.other_customer_id is null
        and l.channel in ('WIRE', 'ACH', 'P2P')
        and o.identifier = upper(regexp_replace(l.counterparty_account, '[^A-Za-z0-9]', '', 'g'))
)

select
    l.entry_id,
    l.journal_id,
    l.reference_id,
    l.journal_kind,
    l.channel,
    l.account_id,
    l.account_code,
    l.customer_id,
    l.currency,
    case when l.signed_amount > 0 then 'IN' else 'OUT' end as flow,
    l.amount,
    l.amount * r.usd_rate as amount_usd,
    l.channel in ('CASH_DEPOSIT', 'CASH_WITHDRAWAL') as is_cash,
    l.channel in ('WIRE', 'ACH', 'P2P') and l.counterparty_name is not null
        and l.resolved_customer_id is null and not coalesce(l.is_own_account, false) as is_external,
    l.resolved_customer_id as other_customer_id,
    case when l.resolved_customer_id is not null then l.resolved_account end as other_account_code,
    case
        when l.counterparty_name is not null then l.counterparty_name
        when l.channel = 'P2P' then l.other_customer_account
    end as counterparty,
    case when not coalesce(l.is_own_account, false) then
        {{ party_key('l.resolved_customer_id', 'l.channel', 'l.counterparty_account', 'l.counterparty_name') }}
    end as party_key,
    l.counterparty_name,
    l.counterparty_account,
    l.counterparty_country,
    l.location,
    l.description,
    l.journal_kind <> 'REVERSAL' and l.channel not in ('FEE', 'INTERNAL') as is_customer_initiated,
    l.effective_at,
    l.business_date
from resolved as l
left join {{ ref('int_usd_rates_daily') }} as r
    on r.currency = l.currency and r.business_date = l.business_date
