-- Money moving in or out of customer accounts: one row per journal line on a customer account, with
-- what the rest of its journal says about it. The compliance marts all start here.
--   flow          IN when the line grows the customer's balance (a credit to their liability), else OUT
--   is_cash       the other side is a cash vault (branch or ATM cash)
--   is_external   a wire or ACH with a named outside party
--   counterparty  the outside party's name, or the other customer's account code for P2P
--   is_customer_initiated  everything but fees, settlements and reversals (what dormancy is judged on)
with journals as (
    select
        journal_id,
        bool_or(account_role = 'cash_vault') as has_cash_leg,
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
    j.has_cash_leg as is_cash,
    l.channel in ('wire', 'ach') and h.counterparty_name is not null as is_external,
    case
        when l.channel = 'p2p' then
            case when l.account_code = j.first_customer_account then j.last_customer_account
                 else j.first_customer_account end
        else h.counterparty_name
    end as counterparty,
    h.counterparty_account,
    l.journal_kind <> 'REVERSAL' and coalesce(l.channel, '') not in ('fee', 'settlement') as is_customer_initiated,
    l.effective_at,
    l.business_date
from {{ ref('fct_journal_lines') }} as l
join journals as j using (journal_id)
join {{ ref('stg_ledger__journal_entries') }} as h using (journal_id)
left join {{ ref('int_usd_rates_daily') }} as r
    on r.currency = l.currency and r.business_date = l.business_date
where l.is_customer_account
