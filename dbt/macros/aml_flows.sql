{# Shared pieces of the flow rules. #}

{% macro business_day(timestamp) -%}
    (({{ timestamp }}) at time zone 'UTC')::date
{%- endmacro %}
