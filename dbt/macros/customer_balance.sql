{#
  What a customer held, in USD, at the close of a business day: the sum of its accounts' closing balances
  (fct_daily_balances, indexed by customer and day). The rules use it to tell money passed through (the
  customer could not have paid out what it did from what it held before the money arrived) from money
  paid out of savings. Accounts without a row that day (not opened yet) count as zero.
#}
{% macro customer_balance_usd(customer_id, business_date) -%}
    coalesce((
        select sum(b.closing_balance_usd)
        from {{ ref('fct_daily_balances') }} as b
        where b.customer_id = {{ customer_id }} and b.business_date = {{ business_date }}
    ), 0)
{%- endmacro %}

{# What some of a customer's accounts held, in USD, at the close of a business day. #}
{% macro accounts_balance_usd(customer_id, account_codes, business_date) -%}
    coalesce((
        select sum(b.closing_balance_usd)
        from {{ ref('fct_daily_balances') }} as b
        where b.customer_id = {{ customer_id }}
            and b.business_date = {{ business_date }}
            and b.account_code = any({{ account_codes }})
    ), 0)
{%- endmacro %}
