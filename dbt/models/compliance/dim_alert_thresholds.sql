-- The alert thresholds this build of the compliance marts used (the project's vars, after any
-- `--vars` override), one row per parameter: issued reports record them from here.
{%- set parameters = [
    'ctr_threshold_usd',
    'structuring_floor_usd', 'structuring_min_deposits', 'structuring_max_gap_days',
    'velocity_max_gap_minutes', 'velocity_min_total_usd', 'velocity_min_transfers',
    'velocity_min_night_transfers', 'velocity_night_start_hour', 'velocity_night_end_hour',
    'card_velocity_max_gap_minutes', 'card_velocity_min_authorisations',
    'rapid_min_senders', 'rapid_min_inbound_usd', 'rapid_outbound_share', 'rapid_window_hours',
    'round_trip_max_days', 'round_trip_tolerance', 'round_trip_min_usd',
    'dormant_days', 'dormant_window_hours', 'dormant_min_inbound_usd', 'dormant_outbound_share',
    'sanctions_min_score',
] %}
{%- for parameter in parameters %}
select '{{ parameter }}'::text as parameter, '{{ var(parameter) }}'::text as value
{%- if not loop.last %}
union all
{%- endif %}
{%- endfor %}
