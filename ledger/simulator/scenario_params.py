"""The parameter ranges of every scenario family, one set per split.

Detection rules are tuned on cases drawn from the "tune" ranges and reported on cases drawn from the
"holdout" ranges, which differ materially (more or fewer parties, other amount bands, longer or shorter
delays, other channels and currencies) while staying plausible for the family. "holdout2" is a fresh
evaluation split, never seen while tuning or in the one holdout measurement, whose ranges vary each family
in yet another plausible way (other bands or mixes of bands, channels, currencies, counts and delays), so
that rules can be measured again without the bias of having looked at the holdout. A value is
- `(low, high)` of ints: an integer drawn uniformly, bounds included (counts, days);
- `(low, high)` of floats: a real drawn uniformly (shares, hours);
- a list of such pairs: one pair picked at random, then a value from it (two separate bands);
- a dict of weights: one key drawn by weight (channels, currencies, variants);
- a float alone: a probability.
Amount pairs (`amount`-like names) are drawn log-uniformly in the case's currency.
"""

from __future__ import annotations

import math
import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

CENT = Decimal("0.01")
SPLITS = ("tune", "holdout", "holdout2")

Spec = Any

RANGES: dict[str, dict[str, dict[str, Spec]]] = {
    # -- laundering ---------------------------------------------------------------------------------
    "structuring": {
        "tune": {"deposits": (3, 6), "amount": (9000, 9950), "business_days": (2, 4), "locations": (1, 2),
                 "atm": 0.2},
        "holdout": {"deposits": (4, 9), "amount": (3000, 7000), "business_days": (4, 8), "locations": (2, 5),
                    "atm": 0.5},
        "holdout2": {"deposits": (5, 10), "amount": [(2400, 2940), (7500, 8940)], "business_days": [(1, 2), (8, 10)],
                     "locations": (2, 6), "atm": 0.35},
    },
    "cash_rapid_outflow": {
        "tune": {"account": {"existing": 1.0}, "currency": {"USD": 1.0}, "deposits": (2, 5),
                 "amount": (2500, 9000), "deposit_days": (1, 3), "cities": (1, 2), "out_share": (0.75, 0.95),
                 "out_delay_h": (4.0, 48.0), "out_parts": (1, 2), "out_channel": {"WIRE": 0.6, "P2P": 0.4}},
        "holdout": {"account": {"existing": 0.5, "new": 0.5}, "currency": {"USD": 0.7, "GBP": 0.3},
                    "deposits": (5, 10), "amount": (600, 3500), "deposit_days": (3, 7), "cities": (2, 4),
                    "out_share": (0.6, 0.85), "out_delay_h": (48.0, 144.0), "out_parts": (2, 4),
                    "out_channel": {"CRYPTO": 0.5, "CASH": 0.5}},
        "holdout2": {"account": {"new": 0.8, "existing": 0.2}, "currency": {"EUR": 0.6, "USD": 0.4},
                     "deposits": (10, 18), "amount": [(800, 2000), (4000, 7000)], "deposit_days": (5, 12),
                     "cities": (3, 6), "out_share": (0.88, 0.99), "out_delay_h": [(1.0, 4.0), (20.0, 72.0)],
                     "out_parts": (2, 6), "out_channel": {"ACH": 0.4, "WIRE": 0.3, "CASH": 0.3}},
    },
    # (at least about 1,500 drawn in cash: less, a few hundred from a small receipt, is everyday cash)
    "receipt_cashed_out": {
        "tune": {"account": {"existing": 0.8, "new": 0.2}, "currency": {"USD": 1.0}, "amount": (4000, 15000),
                 "source": {"lender": 0.5, "own": 0.3, "person": 0.2}, "in_channel": {"ACH": 0.7, "WIRE": 0.3},
                 "out_share": (0.5, 0.95), "withdrawals": (2, 5), "first_delay_h": (12.0, 168.0),
                 "gap_h": (3.0, 36.0), "abroad": 0.4, "atm": 0.6},
        "holdout": {"account": {"existing": 0.5, "new": 0.5}, "currency": {"USD": 0.6, "GBP": 0.4},
                    "amount": (3000, 7000), "source": {"person": 0.4, "lender": 0.3, "own": 0.3},
                    "in_channel": {"WIRE": 0.5, "ACH": 0.5}, "out_share": (0.5, 0.85), "withdrawals": (3, 8),
                    "first_delay_h": (48.0, 240.0), "gap_h": (12.0, 60.0), "abroad": 0.6, "atm": 0.8},
        "holdout2": {"account": {"existing": 0.7, "new": 0.3}, "currency": {"EUR": 0.5, "USD": 0.5},
                     "amount": [(2500, 4000), (15000, 40000)], "source": {"own": 0.4, "lender": 0.4, "person": 0.2},
                     "in_channel": {"ACH": 0.6, "WIRE": 0.4}, "out_share": [(0.6, 0.8), (0.85, 1.0)],
                     "withdrawals": [(2, 3), (6, 12)], "first_delay_h": [(1.0, 12.0), (96.0, 200.0)],
                     "gap_h": [(0.5, 6.0), (24.0, 48.0)], "abroad": 0.3, "atm": 0.5},
    },
    "smurfing": {
        "tune": {"smurfs": (3, 6), "amount": (3000, 9500), "in_channel": {"CASH": 1.0}, "deposit_days": (1, 2),
                 "forward_share": (0.95, 1.0), "forward_delay_h": (1.0, 30.0), "beneficiary": {"customer": 1.0},
                 "same_branch": 0.7,
                 "out_channel": {"WIRE": 1.0}, "currency": {"USD": 1.0}},
        "holdout": {"smurfs": (7, 12), "amount": (400, 2800), "in_channel": {"CASH": 0.4, "P2P": 0.3, "ACH": 0.3},
                    "deposit_days": (2, 6), "forward_share": (0.85, 0.97), "forward_delay_h": (24.0, 120.0),
                    "beneficiary": {"customer": 0.4, "outside": 0.6}, "same_branch": 0.2,
                    "out_channel": {"WIRE": 0.4, "ACH": 0.3, "P2P": 0.3},
                    "currency": {"USD": 0.6, "GBP": 0.2, "EUR": 0.2}},
        "holdout2": {"smurfs": (4, 9), "amount": [(2000, 2990), (4500, 7500)], "in_channel": {"CASH": 0.7, "WIRE": 0.3},
                     "deposit_days": [(1, 1), (5, 9)], "forward_share": (0.9, 0.99),
                     "forward_delay_h": [(0.5, 8.0), (48.0, 144.0)], "beneficiary": {"outside": 0.8, "customer": 0.2},
                     "same_branch": 0.45, "out_channel": {"ACH": 0.6, "WIRE": 0.4},
                     "currency": {"EUR": 0.5, "GBP": 0.3, "USD": 0.2}},
    },
    "money_mule": {
        "tune": {"account": {"new": 0.7, "existing": 0.3}, "onboarded_days": (5, 30), "payers": (5, 10),
                 "in_channel": {"P2P": 0.6, "ACH": 0.4}, "amount": (300, 2500), "collect_days": (1, 3),
                 "out_delay_h": (6.0, 36.0), "out_share": (0.8, 0.95), "beneficiaries": (1, 2),
                 "out_channel": {"WIRE": 1.0}, "currency": {"USD": 1.0}},
        "holdout": {"account": {"new": 0.5, "existing": 0.5}, "onboarded_days": (1, 7), "payers": (11, 25),
                    "in_channel": {"WIRE": 0.5, "P2P": 0.5}, "amount": (100, 1200), "collect_days": (3, 8),
                    "out_delay_h": (36.0, 120.0), "out_share": (0.7, 0.9), "beneficiaries": (2, 4),
                    "out_channel": {"CRYPTO": 0.4, "CASH": 0.3, "P2P": 0.3},
                    "currency": {"USD": 0.6, "GBP": 0.2, "EUR": 0.2}},
        "holdout2": {"account": {"existing": 0.7, "new": 0.3}, "onboarded_days": (30, 90), "payers": (6, 16),
                     "in_channel": {"ACH": 0.5, "WIRE": 0.3, "P2P": 0.2}, "amount": (900, 4500),
                     "collect_days": (5, 12), "out_delay_h": [(1.0, 6.0), (24.0, 72.0)], "out_share": (0.85, 0.98),
                     "beneficiaries": (1, 3), "out_channel": {"WIRE": 0.4, "CRYPTO": 0.3, "ACH": 0.3},
                     "currency": {"EUR": 0.4, "GBP": 0.3, "USD": 0.3}},
    },
    "fan_out": {
        "tune": {"degree": (3, 7), "amount": (800, 4000), "span_days": (1, 4), "customers": 0.6,
                 "out_channel": {"WIRE": 1.0}, "internal_channel": {"P2P": 1.0}, "funding": {"WIRE": 1.0},
                 "currency": {"USD": 1.0}},
        "holdout": {"degree": (8, 16), "amount": (150, 900), "span_days": (5, 14), "customers": 0.25,
                    "out_channel": {"ACH": 0.5, "P2P": 0.5}, "internal_channel": {"P2P": 0.5, "ACH": 0.5},
                    "funding": {"ACH": 0.5, "CASH": 0.5}, "currency": {"USD": 0.5, "EUR": 0.25, "GBP": 0.25}},
        "holdout2": {"degree": (5, 11), "amount": (2000, 9500), "span_days": [(1, 2), (12, 21)], "customers": 0.45,
                     "out_channel": {"WIRE": 0.4, "ACH": 0.4, "P2P": 0.2},
                     "internal_channel": {"WIRE": 0.6, "ACH": 0.4},
                     "funding": {"WIRE": 0.7, "CASH": 0.3}, "currency": {"GBP": 0.4, "EUR": 0.4, "USD": 0.2}},
    },
    "fan_in": {
        "tune": {"degree": (3, 7), "amount": (800, 4000), "span_days": (1, 4), "customers": 0.5,
                 "in_channel": {"WIRE": 1.0}, "internal_channel": {"P2P": 1.0}, "funding": {"CASH": 1.0},
                 "currency": {"USD": 1.0}},
        "holdout": {"degree": (8, 16), "amount": (150, 900), "span_days": (5, 14), "customers": 0.2,
                    "in_channel": {"ACH": 0.5, "P2P": 0.5}, "internal_channel": {"P2P": 0.5, "WIRE": 0.5},
                    "funding": {"CASH": 0.5, "ACH": 0.5}, "currency": {"USD": 0.5, "EUR": 0.25, "GBP": 0.25}},
        "holdout2": {"degree": (5, 11), "amount": (1500, 8000), "span_days": [(1, 2), (12, 21)], "customers": 0.35,
                     "in_channel": {"WIRE": 0.4, "ACH": 0.4, "P2P": 0.2}, "internal_channel": {"ACH": 0.6, "WIRE": 0.4},
                     "funding": {"WIRE": 0.6, "CASH": 0.4}, "currency": {"GBP": 0.4, "EUR": 0.4, "USD": 0.2}},
    },
    "cycle": {
        "tune": {"intermediaries": (2, 3), "amount": (3000, 15000), "keep": (0.93, 0.99), "hop_h": (2.0, 30.0),
                 "customers": 0.7, "internal_channel": {"P2P": 1.0}, "out_channel": {"WIRE": 1.0},
                 "funding": {"WIRE": 1.0}, "currency": {"USD": 1.0}},
        "holdout": {"intermediaries": (4, 6), "amount": (12000, 45000), "keep": (0.82, 0.93),
                    "hop_h": (24.0, 96.0), "customers": 0.4, "internal_channel": {"WIRE": 0.5, "ACH": 0.5},
                    "out_channel": {"ACH": 0.5, "P2P": 0.5}, "funding": {"ACH": 0.5, "CASH": 0.5},
                    "currency": {"USD": 0.5, "EUR": 0.25, "GBP": 0.25}},
        "holdout2": {"intermediaries": [(2, 2), (5, 6)], "amount": [(2000, 6000), (50000, 150000)],
                     "keep": (0.86, 0.98), "hop_h": [(0.5, 6.0), (48.0, 90.0)], "customers": 0.55,
                     "internal_channel": {"ACH": 0.4, "WIRE": 0.3, "P2P": 0.3},
                     "out_channel": {"WIRE": 0.6, "ACH": 0.4},
                     "funding": {"WIRE": 0.7, "ACH": 0.3}, "currency": {"EUR": 0.4, "GBP": 0.35, "USD": 0.25}},
    },
    "scatter_gather": {
        "tune": {"intermediaries": (3, 6), "amount": (1000, 5000), "keep": (0.9, 0.98), "scatter_days": (1, 2),
                 "gather_delay_h": (6.0, 48.0), "customers": 0.7, "beneficiary": {"customer": 1.0},
                 "internal_channel": {"P2P": 1.0}, "out_channel": {"WIRE": 1.0}, "funding": {"WIRE": 1.0},
                 "currency": {"USD": 1.0}},
        "holdout": {"intermediaries": (7, 12), "amount": (300, 1500), "keep": (0.8, 0.92), "scatter_days": (3, 6),
                    "gather_delay_h": (48.0, 168.0), "customers": 0.4,
                    "beneficiary": {"customer": 0.5, "outside": 0.5},
                    "internal_channel": {"P2P": 0.5, "ACH": 0.5}, "out_channel": {"ACH": 0.5, "P2P": 0.5},
                    "funding": {"ACH": 0.5, "CASH": 0.5}, "currency": {"USD": 0.5, "EUR": 0.25, "GBP": 0.25}},
        "holdout2": {"intermediaries": (4, 9), "amount": (3000, 9000), "keep": (0.86, 0.96), "scatter_days": (2, 5),
                     "gather_delay_h": [(2.0, 12.0), (72.0, 144.0)], "customers": 0.55,
                     "beneficiary": {"outside": 0.7, "customer": 0.3},
                     "internal_channel": {"WIRE": 0.5, "ACH": 0.5}, "out_channel": {"WIRE": 0.6, "P2P": 0.4},
                     "funding": {"WIRE": 0.6, "CASH": 0.4}, "currency": {"EUR": 0.4, "GBP": 0.4, "USD": 0.2}},
    },
    "gather_scatter": {
        "tune": {"senders": (3, 6), "receivers": (3, 6), "amount": (1000, 5000), "hub_keeps": (0.05, 0.1),
                 "gather_days": (1, 3), "scatter_delay_h": (6.0, 48.0), "customers": 0.5,
                 "internal_channel": {"P2P": 1.0}, "out_channel": {"WIRE": 1.0}, "in_channel": {"WIRE": 1.0},
                 "funding": {"CASH": 1.0}, "currency": {"USD": 1.0}},
        "holdout": {"senders": (7, 12), "receivers": (6, 12), "amount": (300, 1500), "hub_keeps": (0.01, 0.05),
                    "gather_days": (4, 9), "scatter_delay_h": (48.0, 168.0), "customers": 0.25,
                    "internal_channel": {"P2P": 0.5, "ACH": 0.5}, "out_channel": {"ACH": 0.5, "P2P": 0.5},
                    "in_channel": {"ACH": 0.5, "P2P": 0.5}, "funding": {"CASH": 0.5, "ACH": 0.5},
                    "currency": {"USD": 0.5, "EUR": 0.25, "GBP": 0.25}},
        "holdout2": {"senders": (5, 10), "receivers": (3, 8), "amount": (1500, 7000),
                     "hub_keeps": [(0.005, 0.03), (0.1, 0.15)], "gather_days": [(1, 2), (8, 12)],
                     "scatter_delay_h": [(1.0, 8.0), (72.0, 120.0)], "customers": 0.4,
                     "internal_channel": {"ACH": 0.5, "WIRE": 0.5}, "out_channel": {"WIRE": 0.5, "ACH": 0.5},
                     "in_channel": {"WIRE": 0.5, "ACH": 0.3, "P2P": 0.2}, "funding": {"WIRE": 0.6, "CASH": 0.4},
                     "currency": {"EUR": 0.4, "GBP": 0.4, "USD": 0.2}},
    },
    "bipartite": {
        "tune": {"left": (2, 3), "right": (2, 4), "amount": (500, 3000), "span_days": (1, 4), "customers": 0.7,
                 "internal_channel": {"P2P": 1.0}, "out_channel": {"WIRE": 1.0}, "in_channel": {"WIRE": 1.0},
                 "funding": {"WIRE": 1.0}, "currency": {"USD": 1.0}},
        "holdout": {"left": (4, 6), "right": (4, 7), "amount": (100, 700), "span_days": (5, 12), "customers": 0.4,
                    "internal_channel": {"P2P": 0.5, "ACH": 0.5}, "out_channel": {"ACH": 0.5, "P2P": 0.5},
                    "in_channel": {"ACH": 0.5, "P2P": 0.5}, "funding": {"CASH": 0.5, "ACH": 0.5},
                    "currency": {"USD": 0.5, "EUR": 0.25, "GBP": 0.25}},
        "holdout2": {"left": (3, 5), "right": (2, 5), "amount": (1000, 6000), "span_days": [(1, 2), (8, 14)],
                     "customers": 0.55, "internal_channel": {"WIRE": 0.5, "ACH": 0.5},
                     "out_channel": {"WIRE": 0.6, "ACH": 0.4}, "in_channel": {"WIRE": 0.6, "ACH": 0.4},
                     "funding": {"WIRE": 0.6, "CASH": 0.4}, "currency": {"EUR": 0.4, "GBP": 0.4, "USD": 0.2}},
    },
    "stack": {
        "tune": {"layer": (2, 3), "amount": (800, 4000), "keep": (0.9, 0.98), "layer_delay_h": (4.0, 36.0),
                 "customers": 0.6, "internal_channel": {"P2P": 1.0}, "out_channel": {"WIRE": 1.0},
                 "in_channel": {"WIRE": 1.0}, "funding": {"WIRE": 1.0}, "currency": {"USD": 1.0}},
        "holdout": {"layer": (3, 5), "amount": (150, 900), "keep": (0.8, 0.92), "layer_delay_h": (36.0, 120.0),
                    "customers": 0.35, "internal_channel": {"P2P": 0.5, "ACH": 0.5},
                    "out_channel": {"ACH": 0.5, "P2P": 0.5}, "in_channel": {"ACH": 0.5, "P2P": 0.5},
                    "funding": {"CASH": 0.5, "ACH": 0.5}, "currency": {"USD": 0.5, "EUR": 0.25, "GBP": 0.25}},
        "holdout2": {"layer": (2, 4), "amount": (2500, 9000), "keep": (0.85, 0.97),
                     "layer_delay_h": [(0.5, 4.0), (48.0, 96.0)], "customers": 0.5,
                     "internal_channel": {"WIRE": 0.5, "ACH": 0.5}, "out_channel": {"WIRE": 0.6, "ACH": 0.4},
                     "in_channel": {"WIRE": 0.6, "ACH": 0.4}, "funding": {"WIRE": 0.6, "CASH": 0.4},
                     "currency": {"EUR": 0.4, "GBP": 0.4, "USD": 0.2}},
    },
    "random": {
        "tune": {"members": (4, 6), "steps": (4, 7), "amount": (2000, 10000), "keep": (0.92, 0.99),
                 "hop_h": (2.0, 24.0), "customers": 0.7, "internal_channel": {"P2P": 1.0},
                 "out_channel": {"WIRE": 1.0}, "funding": {"WIRE": 1.0}, "currency": {"USD": 1.0}},
        "holdout": {"members": (7, 10), "steps": (8, 14), "amount": (10000, 40000), "keep": (0.8, 0.95),
                    "hop_h": (24.0, 96.0), "customers": 0.45, "internal_channel": {"P2P": 0.5, "WIRE": 0.5},
                    "out_channel": {"ACH": 0.5, "P2P": 0.5}, "funding": {"ACH": 0.5, "CASH": 0.5},
                    "currency": {"USD": 0.5, "EUR": 0.25, "GBP": 0.25}},
        "holdout2": {"members": (5, 8), "steps": (6, 10), "amount": [(1000, 3000), (20000, 60000)],
                     "keep": (0.85, 0.97), "hop_h": [(0.5, 3.0), (36.0, 60.0)], "customers": 0.55,
                     "internal_channel": {"ACH": 0.5, "WIRE": 0.5}, "out_channel": {"WIRE": 0.6, "ACH": 0.4},
                     "funding": {"WIRE": 0.6, "CASH": 0.4}, "currency": {"EUR": 0.4, "GBP": 0.4, "USD": 0.2}},
    },
    "layering_chain": {
        "tune": {"accounts": (2, 3), "amount": (5000, 25000), "keep": (0.96, 0.995), "hop_h": (1.0, 6.0),
                 "customers": 1.0, "internal_channel": {"P2P": 1.0}, "out_channel": {"WIRE": 1.0},
                 "funding": {"WIRE": 1.0}, "currency": {"USD": 1.0}},
        "holdout": {"accounts": (4, 5), "amount": (25000, 90000), "keep": (0.88, 0.96), "hop_h": (4.0, 11.0),
                    "customers": 0.6, "internal_channel": {"WIRE": 0.5, "ACH": 0.5},
                    "out_channel": {"WIRE": 0.5, "ACH": 0.5}, "funding": {"WIRE": 0.5, "ACH": 0.5},
                    "currency": {"USD": 0.4, "EUR": 0.3, "GBP": 0.3}},
        "holdout2": {"accounts": (3, 5), "amount": [(8000, 20000), (60000, 150000)], "keep": (0.93, 0.99),
                     "hop_h": [(0.25, 1.0), (6.0, 9.0)], "customers": 0.8,
                     "internal_channel": {"P2P": 0.4, "WIRE": 0.3, "ACH": 0.3},
                     "out_channel": {"WIRE": 0.7, "P2P": 0.3},
                     "funding": {"WIRE": 0.7, "ACH": 0.3}, "currency": {"GBP": 0.4, "EUR": 0.4, "USD": 0.2}},
    },
    "dormant_reactivation": {
        "tune": {"gap_days": (90, 240), "mode": {"inflow": 0.75, "drain": 0.25}, "amount": (8000, 40000),
                 "savings": (10000, 40000), "out_share": (0.8, 0.97), "out_delay_h": (2.0, 48.0),
                 "out_parts": (1, 3), "out_channel": {"WIRE": 1.0}},
        "holdout": {"gap_days": [(60, 89), (241, 365)], "mode": {"inflow": 0.3, "drain": 0.7},
                    "amount": (3000, 9000), "savings": (3000, 15000), "out_share": (0.6, 0.9),
                    "out_delay_h": (24.0, 120.0), "out_parts": (3, 8),
                    "out_channel": {"P2P": 0.4, "ACH": 0.3, "CRYPTO": 0.3}},
        "holdout2": {"gap_days": [(120, 200), (300, 360)], "mode": {"inflow": 0.5, "drain": 0.5},
                     "amount": [(9500, 15000), (40000, 80000)], "savings": (20000, 70000), "out_share": (0.85, 0.99),
                     "out_delay_h": [(0.5, 3.0), (72.0, 168.0)], "out_parts": (2, 5),
                     "out_channel": {"WIRE": 0.5, "ACH": 0.3, "CASH": 0.2}},
    },
    "fx_round_trip": {
        "tune": {"variant": {"fiat_loop": 0.5, "in_convert_out": 0.5}, "amount": (5000, 25000),
                 "step_h": (2.0, 30.0), "home": {"USD": 1.0}, "other": {"EUR": 0.6, "GBP": 0.4},
                 "in_channel": {"WIRE": 1.0}, "out_channel": {"WIRE": 1.0}},
        "holdout": {"variant": {"in_convert_out": 0.4, "crypto_loop": 0.6}, "amount": (1500, 6000),
                    "step_h": (24.0, 120.0), "home": {"USD": 0.4, "GBP": 0.3, "EUR": 0.3},
                    "other": {"EUR": 0.5, "GBP": 0.5}, "coin": {"BTC": 0.5, "ETH": 0.5},
                    "in_channel": {"ACH": 0.5, "P2P": 0.5}, "out_channel": {"WIRE": 0.5, "ACH": 0.5}},
        "holdout2": {"variant": {"fiat_loop": 0.4, "crypto_loop": 0.3, "in_convert_out": 0.3},
                     "amount": [(3000, 5000), (25000, 75000)], "step_h": [(1.0, 6.0), (30.0, 72.0)],
                     "home": {"EUR": 0.5, "GBP": 0.5}, "other": {"USD": 0.6, "EUR": 0.2, "GBP": 0.2},
                     "coin": {"ETH": 0.7, "BTC": 0.3}, "in_channel": {"WIRE": 0.5, "ACH": 0.5},
                     "out_channel": {"WIRE": 0.4, "P2P": 0.3, "ACH": 0.3}},
    },
    "card_testing": {
        "tune": {"attempts": (15, 35), "gap_s": (20, 150), "amount": (0.5, 2.99), "void": (0.8, 0.9),
                 "merchants": (1, 2)},
        "holdout": {"attempts": (6, 14), "gap_s": (60, 420), "amount": (1.0, 9.99), "void": (0.55, 0.8),
                    "merchants": (2, 4)},
        "holdout2": {"attempts": (10, 25), "gap_s": [(3, 20), (120, 240)], "amount": [(0.1, 1.0), (3.0, 6.0)],
                     "void": (0.7, 0.97), "merchants": (1, 3)},
    },
    "card_testing_merchant": {
        "tune": {"cards": (6, 12), "window_min": (10, 40), "amount": (0.5, 2.99), "void": (0.8, 0.95)},
        "holdout": {"cards": (13, 25), "window_min": (60, 180), "amount": (1.0, 9.99), "void": (0.6, 0.85)},
        "holdout2": {"cards": (9, 20), "window_min": [(3, 10), (45, 90)], "amount": [(0.1, 1.0), (3.0, 6.0)],
                     "void": (0.7, 0.97)},
    },
    "account_takeover": {
        "tune": {"transfers": (3, 7), "hour": (1.0, 3.5), "gap_min": (3, 20), "drain": (0.6, 0.95),
                 "channel": {"WIRE": 1.0}, "probe": 0.0},
        "holdout": {"transfers": (2, 4), "hour": [(21.5, 23.9), (9.0, 17.0)], "gap_min": (15, 90),
                    "drain": (0.4, 0.8), "channel": {"P2P": 0.5, "ACH": 0.5}, "probe": 0.6},
        "holdout2": {"transfers": (3, 6), "hour": [(5.0, 7.5), (12.0, 14.0)], "gap_min": [(1, 5), (30, 60)],
                     "drain": (0.75, 0.99), "channel": {"WIRE": 0.4, "P2P": 0.3, "ACH": 0.3}, "probe": 0.3},
    },
    "watchlist_payment": {
        "tune": {"payments": (1, 3), "amount": (300, 5000), "gap_days": (2, 6), "channel": {"WIRE": 1.0},
                 "spelling": {"listed": 0.2, "alias": 0.2, "typo": 0.35, "word_order": 0.25}},
        "holdout": {"payments": (2, 4), "amount": (1500, 12000), "gap_days": (5, 12),
                    "channel": {"WIRE": 0.6, "ACH": 0.4},
                    "spelling": {"listed": 0.1, "alias": 0.1, "script": 0.4, "romanisation": 0.4}},
        "holdout2": {"payments": [(1, 1), (4, 6)], "amount": [(150, 900), (8000, 25000)], "gap_days": [(0, 1), (3, 5)],
                     "channel": {"ACH": 0.5, "WIRE": 0.3, "P2P": 0.2},
                     "spelling": {"listed": 0.15, "alias": 0.25, "typo": 0.2, "word_order": 0.1, "script": 0.15,
                                  "romanisation": 0.15}},
    },
    "round_tripping": {
        "tune": {"cycles": (2, 3), "amount": (2000, 8000), "returned": (0.97, 1.03), "back_days": (1, 2),
                 "cycle_days": (3, 4), "channel": {"WIRE": 1.0}},
        "holdout": {"cycles": (1, 2), "amount": (10000, 40000), "returned": (0.88, 0.98), "back_days": (4, 10),
                    "cycle_days": (10, 15), "channel": {"WIRE": 0.5, "ACH": 0.5}},
        "holdout2": {"cycles": (2, 4), "amount": (8000, 30000), "returned": [(0.9, 0.96), (1.02, 1.08)],
                     "back_days": (2, 6), "cycle_days": (5, 8), "channel": {"ACH": 0.4, "WIRE": 0.4, "P2P": 0.2}},
    },
    # -- benign look-alikes -------------------------------------------------------------------------
    "payroll_run": {
        "tune": {"employees": (5, 15), "pay": (1200, 3500), "runs": (1, 1), "client_payment": 0.5,
                 "customer_employees": 0.2},
        "holdout": {"employees": (16, 40), "pay": (800, 5000), "runs": (1, 2), "client_payment": 0.8,
                    "customer_employees": 0.4},
        "holdout2": {"employees": (8, 25), "pay": [(600, 1500), (3000, 7000)], "runs": (2, 3), "client_payment": 0.3,
                     "customer_employees": 0.3},
    },
    "rent_collection": {
        "tune": {"tenants": (3, 5), "rent": (900, 2200), "mortgage_share": (0.6, 0.9), "mortgage_delay": (1, 2),
                 "customer_tenants": 0.5},
        "holdout": {"tenants": (5, 8), "rent": (600, 3000), "mortgage_share": (0.5, 0.75),
                    "mortgage_delay": (1, 3), "customer_tenants": 0.3},
        "holdout2": {"tenants": (4, 10), "rent": [(500, 900), (2500, 4500)], "mortgage_share": (0.3, 0.6),
                     "mortgage_delay": (2, 5), "customer_tenants": 0.4},
    },
    "salary_then_bills": {
        "tune": {"bills": (4, 6), "bill_days": (0, 3), "paid_share": (0.5, 0.8), "salary": (2500, 6000)},
        "holdout": {"bills": (5, 8), "bill_days": (1, 6), "paid_share": (0.6, 0.95), "salary": (4000, 12000)},
        "holdout2": {"bills": (3, 8), "bill_days": (2, 10), "paid_share": (0.7, 0.98),
                     "salary": [(1800, 3000), (8000, 15000)]},
    },
    "large_purchase": {
        "tune": {"amount": (15000, 45000), "savings_days": (1, 5), "payee": {"dealer": 0.8, "solicitor": 0.2}},
        "holdout": {"amount": (30000, 90000), "savings_days": (3, 10), "payee": {"dealer": 0.3, "solicitor": 0.7}},
        "holdout2": {"amount": [(10000, 20000), (90000, 250000)], "savings_days": [(0, 1), (8, 14)],
                     "payee": {"dealer": 0.5, "solicitor": 0.5}},
    },
    "family_transfers": {
        "tune": {"relatives": (1, 1), "loan": (2000, 8000), "repayments": (2, 4), "small": (2, 5),
                 "small_amount": (30, 400), "outside_relative": 0.3},
        "holdout": {"relatives": (2, 3), "loan": (500, 3000), "repayments": (4, 8), "small": (4, 10),
                    "small_amount": (20, 250), "outside_relative": 0.5},
        "holdout2": {"relatives": (1, 4), "loan": [(300, 1000), (8000, 20000)], "repayments": (3, 6), "small": (3, 12),
                     "small_amount": (50, 600), "outside_relative": 0.7},
    },
    "business_cash_takings": {
        "tune": {"weeks": (2, 6), "days_per_week": (5, 6), "takings": (1000, 6000), "suppliers": (1, 3),
                 "supplier_channel": {"ACH": 1.0}, "branches": (1, 2)},
        "holdout": {"weeks": (4, 12), "days_per_week": (6, 7), "takings": (2000, 9000), "suppliers": (2, 5),
                    "supplier_channel": {"WIRE": 0.5, "ACH": 0.5}, "branches": (1, 3)},
        "holdout2": {"weeks": (3, 8), "days_per_week": (5, 7), "takings": [(400, 1500), (5000, 12000)],
                     "suppliers": (3, 6), "supplier_channel": {"ACH": 0.7, "WIRE": 0.3}, "branches": (2, 3)},
    },
    "travel_fx": {
        "tune": {"amount": (500, 2500), "trip_days": (3, 10), "payments_per_day": (2, 5), "lead_days": (1, 7)},
        "holdout": {"amount": (1500, 6000), "trip_days": (7, 21), "payments_per_day": (1, 4), "lead_days": (0, 2)},
        "holdout2": {"amount": [(300, 800), (5000, 12000)], "trip_days": [(2, 4), (12, 20)], "payments_per_day": (2, 6),
                     "lead_days": (4, 10)},
    },
    "student_support": {
        "tune": {"relatives": (3, 5), "amount": (100, 800), "channel": {"P2P": 0.6, "ACH": 0.4},
                 "tuition": 0.5, "tuition_amount": (800, 3000)},
        "holdout": {"relatives": (5, 8), "amount": (50, 400), "channel": {"P2P": 0.4, "WIRE": 0.3, "ACH": 0.3},
                    "tuition": 0.8, "tuition_amount": (2000, 6000)},
        "holdout2": {"relatives": (2, 6), "amount": [(30, 150), (500, 1500)],
                     "channel": {"ACH": 0.4, "WIRE": 0.4, "P2P": 0.2}, "tuition": 0.6, "tuition_amount": (3000, 12000)},
    },
    "marketplace_seller": {
        "tune": {"buyers": (10, 20), "amount": (15, 150), "days": (5, 12), "payout_share": (0.5, 0.8)},
        "holdout": {"buyers": (20, 45), "amount": (8, 90), "days": (10, 21), "payout_share": (0.7, 0.95)},
        "holdout2": {"buyers": (15, 60), "amount": [(5, 30), (100, 400)], "days": (14, 28), "payout_share": (0.3, 0.6)},
    },
    "crypto_self_custody": {
        "tune": {"amount": (200, 2000), "coin": {"BTC": 0.7, "ETH": 0.3}, "withdraw_delay_h": (2.0, 48.0)},
        "holdout": {"amount": (2000, 10000), "coin": {"BTC": 0.4, "ETH": 0.6}, "withdraw_delay_h": (24.0, 168.0)},
        "holdout2": {"amount": [(50, 300), (10000, 30000)], "coin": {"ETH": 0.8, "BTC": 0.2},
                     "withdraw_delay_h": [(0.5, 2.0), (100.0, 180.0)]},
    },
    "salary_drawn_in_cash": {
        "tune": {"salary": (2000, 5000), "pay_every": {"30": 0.6, "14": 0.4}, "cash_share": (0.3, 0.6),
                 "employer": {"large": 0.7, "small": 0.3}, "described": 0.7},
        "holdout": {"salary": (3500, 8000), "pay_every": {"30": 0.5, "14": 0.5}, "cash_share": (0.5, 0.8),
                    "employer": {"large": 0.5, "small": 0.5}, "described": 0.4},
        "holdout2": {"salary": [(1500, 2500), (7000, 12000)], "pay_every": {"14": 0.6, "30": 0.4},
                     "cash_share": [(0.2, 0.35), (0.8, 0.95)], "employer": {"small": 0.6, "large": 0.4},
                     "described": 0.2},
    },
}  # fmt: skip


class Params:
    """Draws a case's parameters from its family's ranges for one split (every draw from the case's stream)."""

    def __init__(self, family: str, split: str, rng: random.Random) -> None:
        if split not in SPLITS:
            raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
        self.values = RANGES[family][split]
        self.rng = rng

    def _pair(self, name: str) -> tuple[Any, Any]:
        spec = self.values[name]
        return self.rng.choice(spec) if isinstance(spec, list) else spec

    def int(self, name: str) -> int:
        low, high = self._pair(name)
        return self.rng.randint(int(low), int(high))

    def real(self, name: str) -> float:
        low, high = self._pair(name)
        return self.rng.uniform(float(low), float(high))

    def share(self, name: str) -> Decimal:
        return Decimal(str(round(self.real(name), 3)))

    def hours(self, name: str) -> timedelta:
        return timedelta(seconds=int(self.real(name) * 3600))

    def amount(self, name: str) -> Decimal:
        """Log-uniform between the bounds, to the cent (amounts cluster low as real payments do)."""
        low, high = self._pair(name)
        value = math.exp(self.rng.uniform(math.log(float(low)), math.log(float(high))))
        return max(CENT, Decimal(value).quantize(CENT))

    def pick(self, name: str) -> str:
        spec: dict[str, float] = self.values[name]
        return self.rng.choices(list(spec), list(spec.values()))[0]

    def chance(self, name: str) -> bool:
        return self.rng.random() < float(self.values[name])

    def probability(self, name: str) -> float:
        return float(self.values[name])
