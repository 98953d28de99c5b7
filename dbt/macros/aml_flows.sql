{#
  Shared pieces of the flow rules.

  business_routine(segment, channels): a small business paying by ACH (with P2P to staff who bank here
  and cash taken out for the till, but no wire or crypto) is running payroll or paying suppliers; the
  funnel, fan-out and velocity rules do not judge it (documented in dbt_project.yml beside the thresholds).
#}
{% macro business_routine(segment, channels) -%}
    ({{ segment }} = 'SMALL_BUSINESS' and 'ACH' = any({{ channels }})
        and {{ channels }} <@ array['ACH', 'P2P', 'CASH_WITHDRAWAL']::text[])
{%- endmacro %}

{% macro business_day(timestamp) -%}
    (({{ timestamp }}) at time zone 'UTC')::date
{%- endmacro %}
