-- Cash movements without a USD rate would silently drop out of CTR aggregation: there must be none.
select entry_id, journal_id, currency, business_date
from {{ ref('int_customer_movements') }}
where is_cash and amount_usd is null
