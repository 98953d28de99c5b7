-- Money moving in or out of customer accounts: one row per journal line on a customer account, with
-- what the rest of its journal says about it. The compliance marts all start here.
--   flow          IN when the line grows the customer's balance (a credit to their liability), else OUT
--   is_cash       a cash deposit or withdrawal (channel CASH_DEPOSIT / CASH_WITHDRAWAL)
--   is_external   a wire, ACH or P2P with a named party outside the platform
--   counterparty  the outside party's name, or for P2P between customers the other customer's account code
--   is_customer_initiated  everything but fees, the platform's own bookkeeping and reversals (what dormancy
--                 is judged on)
with journals as (
    select
        journal_id,
        min(account_code) filter (where is_customer_account) as first_customer_account,
        max(account_code) filter (where is_customer_account) as last_customer_account
    from {{ ref('fct_journal_lines') }}
    group by journal_id
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
    l.channel in ('WIRE', 'ACH', 'P2P') and h.counterparty_name is not null as is_external,
    case
        when h.counterparty_name is not null then h.counterparty_name
        when l.channel = 'P2P' then
            case when l.account_code = j.first_customer_account then j.last_customer_account
                 else j.first_customer_account end
    end as counterparty,
    h.counterparty_account,
    l.journal_kind <> 'REVERSAL' and l.channel not in ('FEE', 'INTERNAL') as is_customer_initiated,
    l.effective_at,
    l.business_date
from {{ ref('fct_journal_lines') }} as l
join journals as j using (journal_id)
join {{ ref('stg_ledger__journal_entries') }} as h using (journal_id)
left join {{ ref('int_usd_rates_daily') }} as r
    on r.currency = l.currency and r.business_date = l.business_date
where l.is_customer_account
