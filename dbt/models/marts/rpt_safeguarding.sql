-- Safeguarding, per currency and business day: what the platform owes its customers (the closing
-- balances of customer accounts) against the funds it holds for them (safeguarding bank accounts and
-- crypto custody). `surplus` = safeguarded - owed; a negative surplus is a shortfall to report.
select
    business_date,
    currency,
    coalesce(sum(closing_balance) filter (where is_customer_account), 0)::numeric(38, 18) as customer_liabilities,
    coalesce(sum(closing_balance) filter (where account_role in ('safeguarding', 'crypto_custody')), 0)
        ::numeric(38, 18) as safeguarded_funds,
    (
        coalesce(sum(closing_balance) filter (where account_role in ('safeguarding', 'crypto_custody')), 0)
        - coalesce(sum(closing_balance) filter (where is_customer_account), 0)
    )::numeric(38, 18) as surplus,
    coalesce(sum(closing_balance) filter (where account_role in ('safeguarding', 'crypto_custody')), 0)
        < coalesce(sum(closing_balance) filter (where is_customer_account), 0) as is_shortfall,
    count(*) filter (where is_customer_account)::bigint as customer_accounts,
    max(usd_rate) as usd_rate,
    (
        coalesce(sum(closing_balance) filter (where account_role in ('safeguarding', 'crypto_custody')), 0)
        - coalesce(sum(closing_balance) filter (where is_customer_account), 0)
    ) * max(usd_rate) as surplus_usd
from {{ ref('fct_daily_balances') }}
group by business_date, currency
