-- A day on which customer funds were not fully safeguarded. Not an error in the data but a breach to
-- report: the test warns (the safeguarding report shows it) instead of failing the build.
{{ config(severity='warn') }}
select business_date, currency, customer_liabilities, safeguarded_funds, surplus
from {{ ref('rpt_safeguarding') }}
where is_shortfall
