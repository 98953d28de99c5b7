-- Every external counterparty name seen on a transfer, scored against every name and alias on the
-- watchlist by trigram similarity (see macros/name_trigrams.sql); one row per (name, listed entity)
-- that shares at least one trigram, with the best-scoring listed spelling.
with counterparties as (
    select distinct counterparty as counterparty_name
    from {{ ref('int_customer_movements') }}
    where is_external
),

listed as (
    select entity_id, name as listed_name, entity_id || ':' || name as listed_key
    from {{ ref('watchlist') }}
    union
    select entity_id, btrim(alias), entity_id || ':' || btrim(alias)
    from {{ ref('watchlist') }}
    cross join lateral unnest(string_to_array(aliases, '|')) as alias
    where btrim(alias) <> ''
),

counterparty_trigrams as ({{ name_trigrams('counterparties', 'counterparty_name', 'counterparty_name') }}),

listed_trigrams as ({{ name_trigrams('listed', 'listed_key', 'listed_name') }}),

sizes as (
    select key, count(*) as trigrams from counterparty_trigrams group by key
),

listed_sizes as (
    select key, count(*) as trigrams from listed_trigrams group by key
),

shared as (
    select c.key as counterparty_name, l.key as listed_key, count(*) as shared_trigrams
    from counterparty_trigrams as c
    join listed_trigrams as l using (trigram)
    group by c.key, l.key
),

scored as (
    select
        s.counterparty_name,
        l.entity_id,
        l.listed_name,
        round(s.shared_trigrams::numeric / (cs.trigrams + ls.trigrams - s.shared_trigrams), 4) as score
    from shared as s
    join sizes as cs on cs.key = s.counterparty_name
    join listed_sizes as ls on ls.key = s.listed_key
    join listed as l on l.listed_key = s.listed_key
)

select distinct on (counterparty_name, entity_id)
    counterparty_name,
    entity_id,
    listed_name,
    score
from scored
order by counterparty_name, entity_id, score desc, listed_name
