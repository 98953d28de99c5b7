{#
  The other side of a movement as a node of the transfer graph, defined once for every compliance mart:
  another customer of the platform (`C<customer_id>`), an outside party by its account identifier
  (`A:<letters and digits, upper case>`, so "GB29 NWBK 6016" and "gb29nwbk6016" are one party) or, when
  the payment gave none, by its normalised name (`N:<name>`), or cash (`CASH`). Null when nobody else is
  named (a P2P between two accounts of one customer, fees, the platform's bookkeeping).
#}
{% macro party_key(other_customer_id, channel, counterparty_account, counterparty_name) -%}
    case
        when {{ other_customer_id }} is not null then 'C' || {{ other_customer_id }}
        when {{ channel }} in ('CASH_DEPOSIT', 'CASH_WITHDRAWAL') then 'CASH'
        when nullif(regexp_replace({{ counterparty_account }}, '[^A-Za-z0-9]', '', 'g'), '') is not null then
            'A:' || upper(regexp_replace({{ counterparty_account }}, '[^A-Za-z0-9]', '', 'g'))
        when {{ counterparty_name }} is not null then 'N:' || {{ normalise_name(counterparty_name) }}
    end
{%- endmacro %}

{#
  A path of party keys as people read it: customers by their reference, outside parties by their
  account identifier or normalised name.
#}
{% macro node_labels(nodes) -%}
    (
        select to_jsonb(array_agg(coalesce(c.customer_ref, substr(n.node, 3)) order by n.i))
        from unnest({{ nodes }}) with ordinality as n(node, i)
        left join {{ ref('stg_ledger__customers') }} as c on n.node = 'C' || c.customer_id
    )
{%- endmacro %}

{# A name compared as text: lower case, every run of characters other than letters and digits one space. #}
{% macro normalise_name(expression) -%}
    btrim(regexp_replace(lower({{ expression }}), '[^[:alnum:]]+', ' ', 'g'))
{%- endmacro %}

{#
  The merchant behind a card descriptor, as a key: upper case, a payment facilitator's or wallet's wrapper
  removed ("PAYPAL *", "PP*", "SQ *", "TST* ", ...), then its first word of two letters or more ("NEWEGG"
  from "PAYPAL *NEWEGG MADRID MD" and "PP*NEWEGG MIAMI FL"; "STARBUCKS" from "STARBUCKS #00980"). Coarse
  on purpose: the descriptors of one merchant vary with the processor, the store and the place.
#}
{% macro merchant_key(descriptor) -%}
    coalesce(
        substring(
            regexp_replace(
                upper({{ descriptor }}),
                '^\s*(PAYPAL|PP|SQ|TST|SP|DD|GOOGLE|GGL|PY|IZ|ZLS|CKO|WPY|BT|APPLE\.COM/BILL|APL)\s*\*\s*',
                ''
            ),
            '[A-Z]{2,}'
        ),
        upper({{ descriptor }})
    )
{%- endmacro %}

{# Whether a party key is an outside party known by its account (A:) or by its name (N:): not another customer,
   cash or crypto. #}
{% macro is_outside_party(key) -%}
    ({{ key }} like 'A:%' or {{ key }} like 'N:%')
{%- endmacro %}
