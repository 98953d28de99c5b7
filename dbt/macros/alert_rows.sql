{#
  The common layout of every alert mart (the AML report is their union). `relation` holds rule, alert_id,
  customer_id (the alert's subject), customer_ids (everyone who took part, the subject first), first_at,
  last_at, total_amount_usd, account_codes, journal_ids, reference_ids and details (the evidence); this
  adds the rule's family, the alert's business date (its last movement, UTC) and the customers'
  references.
#}
{% macro alert_rows(relation) -%}
select
    a.rule,
    {{ rule_family('a.rule') }} as family,
    a.alert_id,
    (a.last_at at time zone 'UTC')::date as alert_date,
    a.customer_id,
    c.customer_ref,
    a.customer_ids,
    array(
        select s.customer_ref
        from unnest(a.customer_ids) with ordinality as i(customer_id, n)
        join {{ ref('stg_ledger__customers') }} as s on s.customer_id = i.customer_id
        order by i.n
    ) as customer_refs,
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

{#
  The family of typologies a rule looks for (the AML report groups by it; bench.aml scores recall by it).
#}
{% macro rule_family(rule) -%}
    case {{ rule }}
        when 'STRUCTURING' then 'structuring'
        when 'CASH_RAPID_OUTFLOW' then 'cash_outflow'
        when 'RECEIPT_CASHED_OUT' then 'cash_outflow'
        when 'OFF_BOOK_CASH_PAYROLL' then 'cash_outflow'
        when 'CASH_FRONT_COMMINGLING' then 'cash_outflow'
        when 'FUNNEL_ACCOUNT' then 'funnel'
        when 'PASS_THROUGH' then 'funnel'
        when 'LARGE_RECEIPT_MOVED_ON' then 'funnel'
        when 'CROSS_CUSTOMER_AGGREGATION' then 'aggregation'
        when 'FAN_OUT' then 'network'
        when 'FAN_IN' then 'network'
        when 'SCATTER_GATHER' then 'network'
        when 'CYCLE' then 'network'
        when 'BIPARTITE' then 'network'
        when 'LAYERING_CHAIN' then 'network'
        when 'ROUND_TRIP' then 'network'
        when 'DORMANT_REACTIVATION' then 'dormancy'
        when 'FX_ROUND_TRIP' then 'fx'
        when 'FX_LAYERING' then 'fx'
        when 'CARD_TESTING_ACCOUNT' then 'card_testing'
        when 'CARD_TESTING_MERCHANT' then 'card_testing'
        when 'STORED_VALUE_BURST' then 'stored_value'
        when 'SANCTIONS_SCREENING' then 'sanctions'
        when 'EXPORT_CONTROL_TRANSSHIPMENT' then 'sanctions_evasion'
        when 'OUTBOUND_TRANSFER_VELOCITY' then 'velocity'
        when 'SUSTAINED_DRAIN' then 'velocity'
        when 'COLLECTIONS_SENT_ABROAD' then 'source_of_funds'
        when 'CORPORATE_PAYMENTS_TO_PERSON' then 'source_of_funds'
        when 'OFFSHORE_THIRD_PARTY_PAYMENTS' then 'source_of_funds'
        when 'FRONT_COMPANY_PAYOUTS' then 'source_of_funds'
        when 'INSURANCE_EARLY_SURRENDER' then 'source_of_funds'
        when 'FOREIGN_FUNDED_PROPERTY_PURCHASE' then 'source_of_funds'
        when 'CRYPTO_PROCEEDS_CASHED_OUT' then 'source_of_funds'
        when 'ACH_RETURN_RATE' then 'payment_processing'
        when 'FINANCING_STACKING' then 'lending_fraud'
        when 'LOAN_PROCEEDS_DIVERTED' then 'lending_fraud'
        when 'HEALTHCARE_KICKBACKS' then 'healthcare_fraud'
        when 'PONZI_PAYOUTS' then 'investment_fraud'
        when 'OCSE_PAYMENTS' then 'exploitation'
        when 'KITING' then 'kiting'
        when 'GHOST_EMPLOYEE_PAYROLL' then 'payroll_fraud'
        when 'MULTIPLE_TAX_REFUNDS' then 'claims_fraud'
        when 'FREQUENT_PRIZE_CLAIMS' then 'claims_fraud'
        when 'ATM_SETTLEMENTS_WITHOUT_CASH' then 'cash_outflow'
        when 'EMPLOYER_PAYMENTS_BEYOND_PAY' then 'embezzlement'
        else 'other'
    end
{%- endmacro %}
