-- Safeguarding, per currency and business day: what the platform owes its customers (the closing
-- balances of customer accounts) against the funds it holds for them (safeguarding bank accounts and
-- crypto custody). `surplus` = safeguarded - owed; a negative surplus is a shortfall to report, and a
-- surplus above `safeguarding_tolerance_share` of what is owed is the firm's own money commingled with
-- customers' beyond a working buffer: both are breaches to explain (`breach`).
with totals as (
    select
        business_date,
        currency,
        coalesce(sum(closing_balance) filter (where is_customer_account), 0) as owed,
        coalesce(sum(closing_balance) filter (where account_role in ('safeguarding', 'crypto_custody')), 0) as held,
        count(*) filter (where is_customer_account)::bigint as customer_accounts,
        max(usd_rate) as usd_rate
    from {{ ref('fct_daily_balances') }}
    group by business_date, currency
)

select
    business_date,
    currency,
    owed::numeric(38, 18) as customer_liabilities,
    held::numeric(38, 18) as safeguarded_funds,
    (held - owed)::numeric(38, 18) as surplus,
    held < owed as is_shortfall,
    customer_accounts,
    usd_rate,
    (held - owed) * usd_rate as surplus_usd,
    {{ var('safeguarding_tolerance_share') }}::numeric as tolerance_share,
    (held < owed or held - owed > owed * {{ var('safeguarding_tolerance_share') }}) as is_breach,
    case
        when held < owed then 'shortfall: safeguarded funds are below what customers are owed'
        when held - owed > owed * {{ var('safeguarding_tolerance_share') }}
            then 'excess: the surplus is above the tolerance (own funds commingled with customer funds)'
    end as breach
from totals
