{# Shared pieces of the flow rules. #}

{% macro business_day(timestamp) -%}
    (({{ timestamp }}) at time zone 'UTC')::date
{%- endmacro %}

{# The words of a name or description, lower case, split at spaces and punctuation. #}
{% macro name_words(text) -%}
    regexp_split_to_array(lower({{ text }}), '[[:space:][:punct:]]+')
{%- endmacro %}

{# The words of a name, lower case, joined by single spaces ("PG&E" and "pg e" alike). #}
{% macro plain_words(text) -%}
    trim(regexp_replace(lower({{ text }}), '[^a-z0-9]+', ' ', 'g'))
{%- endmacro %}

{# True when one of the words of `text` is in the list var `words_var`. #}
{# The words of the list var `words_var` as a text[] literal. #}
{% macro word_list(words_var) -%}
    array[{%- for word in var(words_var) %}'{{ word }}'{{ ',' if not loop.last }}{% endfor -%}]::text[]
{%- endmacro %}

{% macro has_word_of(text, words_var) -%}
    ({{ name_words(text) }} && {{ word_list(words_var) }})
{%- endmacro %}

{# The words of a company's name that tell it from others, in order: its words less the legal forms and
   lines of business of `company_name_words` ("Sterling Crest Group LLP": sterling, crest). #}
{% macro distinctive_words(name) -%}
    array(
        select w.word
        from unnest({{ name_words(name) }}) with ordinality as w (word, n)
        where w.word <> '' and w.word <> 'the' and not (w.word = any({{ word_list('company_name_words') }}))
            and not (w.word = any({{ word_list('company_suffix_words') }}))
        order by w.n
    )
{%- endmacro %}

{# True when the name reads as a company's: one of its words is in `company_name_words`, or its last word is a
   short legal form of `company_suffix_words` ("Alpha Language KK", "Global Words SL"; not "KK Menon", "Asa Gray"). #}
{% macro is_company_name(name) -%}
    ({{ has_word_of(name, 'company_name_words') }}
        or (array_remove({{ name_words(name) }}, ''))[cardinality(array_remove({{ name_words(name) }}, ''))]
            = any({{ word_list('company_suffix_words') }}))
{%- endmacro %}

{#
  The share of the people named in `labels_query` (a query of one column: the names on payments) who
  share a family name (the last word) with another of them, or, given `customer_id` (an SQL expression), with
  that customer under another given name (a prize winner's gifts to its relatives; the customer's own name is its
  own account elsewhere): a family paying or paid by one of its own.
  Companies (`is_company_name`) and labels that are not a person's name (another customer's account code)
  are left out; each distinct name counts once (one person paying from several accounts is not a family);
  `unnamed` (an SQL expression) more people count as of no family among them; 0 when nobody is named. The
  customer's name is read inside the database (ledger.customer_pii) and never leaves it.
#}
{% macro kin_share(labels_query, unnamed='0', customer_id=none) -%}
    coalesce((
        select sum((
            k.with_name >= 2
            {%- if customer_id is not none %}
            or exists (
                select 1
                from {{ source('ledger', 'customer_pii') }} as p
                where p.customer_id = {{ customer_id }}
                    and lower(substring(p.full_name from '([[:alpha:]]+)$')) = k.family_name
                    -- the customer's own name (every word of it, at most one more: a middle name, as
                    -- int_own_name_parties reads it) is its own account elsewhere, not a relative
                    and not (
                        array(select w from unnest({{ name_words('p.full_name') }}) as w where length(w) > 1)
                            <@ {{ name_words('k.name') }}
                        and cardinality(array_remove({{ name_words('k.name') }}, ''))
                            <= cardinality(array_remove({{ name_words('p.full_name') }}, '')) + 1
                    )
            )
            {%- endif %}
        )::int)::numeric / nullif(count(*) + {{ unnamed }}, 0)
        from (
            select n.name, n.family_name, count(*) over (partition by n.family_name) as with_name
            from (
                select distinct lower(l.label) as name, lower(substring(l.label from '([[:alpha:]]+)$')) as family_name
                from ({{ labels_query }}) as l (label)
                where l.label ~ '^[[:alpha:]]+([ ''-][[:alpha:]]+)+$'
                    and not coalesce({{ is_company_name('l.label') }}, false)
            ) as n
        ) as k
    ), 0)
{%- endmacro %}

{#
  Overlapping windows are one alert. `relation`'s rows are windows (each qualifying on its own), ordered
  by `order_by` within `partition_by`; a window opens a new episode unless it starts (`starts_at`) before
  an earlier one of its partition ended (`ends_at`, the latest end so far, not only the previous row's).
  Returns every column of `relation` and `episode`, numbered from 1 within the partition.
#}
{% macro overlapping_as_one(relation, partition_by, order_by, starts_at, ends_at) -%}
    select
        marked.*,
        sum(marked.opens_episode) over (partition by {{ partition_by }} order by {{ order_by }}) as episode
    from (
        select
            w.*,
            case
                when max({{ ends_at }}) over (
                    partition by {{ partition_by }} order by {{ order_by }}
                    rows between unbounded preceding and 1 preceding
                ) >= {{ starts_at }}
                then 0 else 1
            end as opens_episode
        from {{ relation }} as w
    ) as marked
{%- endmacro %}

{# True when the flow `flow` (an alias of a row of int_customer_flows) moves money between the customer and an
   account of its own name elsewhere (int_own_name_parties), judged on what had happened before it:
   - a payment to it, once that account had paid the customer in (an account of one's own is paid into and
     drawn from; a payee's name is the payer's words);
   - money from it, once it has been paying the customer in for `own_name_known_days` (savings kept there),
     or when it is the customer's money coming back: at least `own_name_return_share` of it had gone there
     before. A new account of one's name sending money in (proceeds spread over accounts opened at several
     banks), after a token payment to it or not, is judged like any other party. #}
{% macro is_own_name_party(flow) -%}
    exists (
        select 1 from {{ ref('int_own_name_parties') }} as own
        where own.customer_id = {{ flow }}.customer_id and own.party_key = {{ flow }}.party_key
            and (
                ({{ flow }}.flow = 'OUT' and own.first_in_at < {{ flow }}.effective_at)
                or ({{ flow }}.flow = 'IN' and (
                    own.first_in_at <= {{ flow }}.effective_at - interval '{{ var("own_name_known_days") }} days'
                    or (
                        select coalesce(sum(sent.amount_usd), 0)
                        from {{ ref('int_customer_flows') }} as sent
                        where sent.customer_id = {{ flow }}.customer_id and sent.party_key = {{ flow }}.party_key
                            and sent.flow = 'OUT' and sent.effective_at < {{ flow }}.effective_at
                    ) >= {{ var('own_name_return_share') }} * {{ flow }}.amount_usd
                ))
            )
    )
{%- endmacro %}

{# True when the payment `flow` (an alias of int_customer_flows) went in a batch: by one of `channels` (a SQL list,
   "'ACH'"), one of at least `business_batch_min_payments` such payments of the customer that business day (a payroll
   run, returns paid to investors in one go). #}
{% macro in_payment_batch(flow, channels) -%}
    ({{ flow }}.channel in ({{ channels }})
        and coalesce({{ flow }}.same_day_count, 1) >= {{ var('business_batch_min_payments') }})
{%- endmacro %}

{# True when the party of the flow `flow` is an account of the customer's own name elsewhere (int_own_name_parties),
   whenever it first paid in: never a financer of the customer nor a third party funding it. (Whether money moved
   between them is the customer's own is judged in time by `is_own_name_party`.) #}
{% macro is_own_name_account(flow) -%}
    exists (
        select 1 from {{ ref('int_own_name_parties') }} as own
        where own.customer_id = {{ flow }}.customer_id and own.party_key = {{ flow }}.party_key
    )
{%- endmacro %}

{# The movements of rows `alias` (of int_customer_flows, or shaped like it) as an alert's evidence, in time
   order: their journal ids and the callers' reference ids (`<prefix>journal_ids`, `<prefix>reference_ids`). #}
{% macro evidence_ids(alias, prefix='') -%}
    array_agg({{ alias }}.journal_id order by {{ alias }}.effective_at, {{ alias }}.journal_id) as {{ prefix }}journal_ids,
    array_agg({{ alias }}.reference_id order by {{ alias }}.effective_at, {{ alias }}.journal_id) as {{ prefix }}reference_ids
{%- endmacro %}

{# The ids (`id_col`: journal or reference ids) of an episode's receipts, each followed by the payments after it
   (`payments_col`, an array in time order), from the rows of `members` matching `match`, in the order of
   the receipts (`at_col`, then `key_col`); a payment that follows two receipts is listed once, after the first. #}
{% macro receipts_then_payments(members, match, id_col, payments_col, at_col, key_col) -%}
    array(
        select u.id
        from (
            select distinct on (u.id) u.id, m.{{ at_col }} as at, m.{{ key_col }} as key, u.n
            from {{ members }} as m
            cross join lateral unnest(array[m.{{ id_col }}] || m.{{ payments_col }}) with ordinality as u (id, n)
            where {{ match }}
            order by u.id, m.{{ at_col }}, m.{{ key_col }}, u.n
        ) as u
        order by u.at, u.key, u.n
    )
{%- endmacro %}

{# The accounts an episode touched: each of its `members` rows' receipt account (`account_col`) and the accounts
   its payments left (`accounts_col`, an array), for the rows matching `match`. #}
{% macro episode_accounts(members, match, account_col, accounts_col) -%}
    array(
        select distinct u.code
        from {{ members }} as m
        cross join lateral unnest(array[m.{{ account_col }}] || m.{{ accounts_col }}) as u (code)
        where {{ match }}
        order by 1
    )
{%- endmacro %}

{# An episode alert's evidence columns (account_codes, journal_ids, reference_ids) from the `members` rows
   matching `match`: each row's receipt (`account_col`, `journal_col`, `reference_col`, at `at_col`) and the
   payments after it (`out_accounts`, `out_journal_ids`, `out_reference_ids`), each payment once, in the order
   of the receipts. #}
{% macro episode_evidence(members, match, account_col, journal_col, reference_col, at_col) -%}
    {{ episode_accounts(members, match, account_col, 'out_accounts') }} as account_codes,
    -- each receipt, then what left after it (a payment after two receipts is listed once)
    {{ receipts_then_payments(members, match, journal_col, 'out_journal_ids', at_col, journal_col) }} as journal_ids,
    {{ receipts_then_payments(members, match, reference_col, 'out_reference_ids', at_col, journal_col) }}
        as reference_ids
{%- endmacro %}

{# Whether the customer paid a biller (by name: `is_biller`) first paid after `from_at`, until `to_at`, at
   least `min_usd` in one payment: money collected for a bill (a hospital, a funeral home). With
   `any_biller_when` (an SQL condition), any biller counts when it holds (rents collected, then the mortgage). #}
{% macro pays_new_biller(flows, customer_id, from_at, to_at, min_usd, any_biller_when='false') -%}
    exists (
        select 1
        from {{ flows }} as m
        where m.customer_id = {{ customer_id }}
            and m.flow = 'OUT'
            and m.is_biller
            and m.effective_at > {{ from_at }}
            and m.effective_at <= {{ to_at }}
            and m.amount_usd >= {{ min_usd }}
            and (m.party_first_at >= {{ from_at }} or {{ any_biller_when }})
    )
{%- endmacro %}

{# True when `text`, in plain words, holds one of the phrases of the list var `phrases_var` as whole words
   ("WESTERN UNION FINANCIAL SERVICES" holds "western union"; "Wright Check Cashing Corp" "check cashing"). #}
{% macro has_phrase_of(text, phrases_var) -%}
    (' ' || {{ plain_words(text) }} || ' ' like any (array[
        {%- for phrase in var(phrases_var) %}'% {{ phrase }} %'{{ ',' if not loop.last }}{% endfor -%}
    ]::text[]))
{%- endmacro %}

{# True when the name `name` is a money transfer operator's (`remittance_operator_names`: "REMITLY* TRANSFER"): the
   payee abroad is the operator's to know. #}
{% macro is_remittance_operator(name) -%}
    {{ has_phrase_of(name, 'remittance_operator_names') }}
{%- endmacro %}

{# True when the payment `flow` (an alias of a row of int_customer_flows, paid OUT) sends money abroad: to a
   person abroad (not a common party, not a company), or through a money transfer operator. #}
{% macro is_sent_abroad(flow) -%}
    ({{ is_remittance_operator(flow ~ '.party_label') }}
        or {{ flow }}.is_common_party is not true
            and {{ flow }}.party_country is not null
            and {{ flow }}.party_country <> {{ flow }}.customer_country
            and not coalesce({{ is_company_name(flow ~ '.party_label') }}, false))
{%- endmacro %}

{# The share of what a customer received (`flow` 'IN') or paid ('OUT') over the `business_cash_lookback_days` to
   `until_at` that was cash: a business living on cash (a cash-for-gold shop, a front) or on other money (a car
   dealer's lenders, a jeweller's card takings), judged against `business_cash_min_share`. Null when nothing moved.
   (Money from accounts of its own name counts: a new dealer's opening balance is what it trades on.) #}
{% macro cash_share(customer_id, flow, until_at) -%}
    (
        select sum(o.amount_usd) filter (where o.channel in ('CASH_DEPOSIT', 'CASH_WITHDRAWAL'))
            / nullif(sum(o.amount_usd), 0)
        from {{ ref('int_customer_flows') }} as o
        where o.customer_id = {{ customer_id }}
            and o.flow = {{ flow }}
            and o.effective_at <= {{ until_at }}
            and o.effective_at > {{ until_at }} - interval '{{ var("business_cash_lookback_days") }} days'
    )
{%- endmacro %}

{# Who a person paying or paid by the customer is (an alias of int_customer_flows): another customer of the bank by
   its account (a payment between two customers carries the name the payer typed, the receiver's own on its side),
   anyone else by its name, normalised (one investor paying from two banks is one). #}
{% macro person_key(flow) -%}
    case when {{ flow }}.party_key like 'C%' then {{ flow }}.party_key else {{ normalise_name(flow ~ '.party_label') }} end
{%- endmacro %}

{# Whether the payments aggregated (payer `payer_col`, amount `amount_col`) are a crowd of small payers: at least
   `fan_in_commerce_min_senders` of them with a median payment of at most `fan_in_commerce_max_median_usd` (a
   seller's customers, a club's members). An aggregate expression, read by FAN_IN and FUNNEL_ACCOUNT. #}
{% macro small_payer_crowd(payer_col, amount_col) -%}
    (count(distinct {{ payer_col }}) >= {{ var('fan_in_commerce_min_senders') }}
        and percentile_cont(0.5) within group (order by {{ amount_col }})
            <= {{ var('fan_in_commerce_max_median_usd') }})
{%- endmacro %}

{# True when the receipt `flow` (an alias of a row of int_customer_flows) is an ATM settlement: paid in by ACH or
   wire, its payer's name or its reference with a word of `atm_settlement_words` ("ATM SETTLEMENT", "Elan ATM
   Settlement"), not from an account of the customer's own name ("... ATM Services LLC" opening the account): an
   ATM processor paying an operator back the cash its machines dispensed. #}
{% macro is_atm_settlement(flow) -%}
    ({{ flow }}.flow = 'IN' and {{ flow }}.channel in ('ACH', 'WIRE')
        and (coalesce({{ has_word_of(flow ~ '.party_label', 'atm_settlement_words') }}, false)
            or coalesce({{ has_word_of(flow ~ '.description', 'atm_settlement_words') }}, false))
        and not {{ is_own_name_account(flow) }})
{%- endmacro %}
