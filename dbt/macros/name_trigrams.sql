{#
  Trigram similarity without the pg_trgm extension (absent from the embedded server and from many managed
  servers): the same definition, computed set-based.

  normalise_name: lower case, every run of characters other than letters and digits becomes one space.
  name_trigrams: one row per (key, trigram) of a name, pg_trgm style: each word padded with two spaces
  in front and one behind, then every three-character window, duplicates removed.
#}
{% macro normalise_name(expression) -%}
    btrim(regexp_replace(lower({{ expression }}), '[^[:alnum:]]+', ' ', 'g'))
{%- endmacro %}

{% macro name_trigrams(relation, key, name) -%}
    select distinct
        named.{{ key }} as key,
        substr('  ' || word || ' ', position, 3) as trigram
    from {{ relation }} as named
    cross join lateral unnest(string_to_array({{ normalise_name('named.' ~ name) }}, ' ')) as word
    cross join lateral generate_series(1, length(word) + 1) as position
    where word <> ''
{%- endmacro %}
