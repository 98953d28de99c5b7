-- Transfers in and out of customer accounts (wires, ACH, P2P; not cash, cards, conversions, fees or
-- reversals): what the velocity, rapid-movement and dormancy rules look at. A table of its own so the
-- planner knows its size: estimated from filters on int_customer_movements it looks a hundred times
-- smaller than it is, and the rules' self-joins turn into nested loops.
select *
from {{ ref('int_customer_movements') }}
where channel in ('WIRE', 'ACH', 'P2P') and journal_kind = 'TRANSFER'
