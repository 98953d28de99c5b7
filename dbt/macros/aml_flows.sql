{#
  Shared pieces of the flow rules.

  is_business_ach_only(channels): a small business paying or collecting by ACH only is running payroll,
  paying suppliers or collecting from clients; the funnel and fan-out rules do not judge it (documented in
  dbt_project.yml beside the thresholds).
#}
{% macro business_routine(segment, channels) -%}
    ({{ segment }} = 'SMALL_BUSINESS' and {{ channels }} <@ array['ACH']::text[])
{%- endmacro %}

{% macro business_day(timestamp) -%}
    (({{ timestamp }}) at time zone 'UTC')::date
{%- endmacro %}
