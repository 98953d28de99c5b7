select
    name as counterparty_name,
    entity_id,
    listed_name,
    program,
    score,
    basis
from {{ source('screening', 'counterparty_matches') }}
