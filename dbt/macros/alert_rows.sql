{#
  The common layout of every alert mart (the AML report is their union): `relation` holds rule, alert_id,
  customer_id, first_at, last_at, total_amount_usd, account_codes, journal_ids, reference_ids, details;
  this adds the alert's business date (its last movement, UTC) and the customer's reference.
#}
{% macro alert_rows(relation) -%}
select
    a.rule,
    a.alert_id,
    (a.last_at at time zone 'UTC')::date as alert_date,
    a.customer_id,
    c.customer_ref,
    a.first_at,
    a.last_at,
    a.total_amount_usd::numeric as total_amount_usd,
    a.account_codes,
    a.journal_ids,
    a.reference_ids,
    a.details
from {{ relation }} as a
join {{ ref('stg_ledger__customers') }} as c using (customer_id)
{%- endmacro %}
