"""Card descriptors for the simulator's card payments: the shared generator (`fintra.card_descriptors`)
over the catalogue's brands and their known aliases, so payments carry the forms real statements do."""

from __future__ import annotations

import random
from functools import cache

from fintra.card_descriptors import Brand
from fintra.card_descriptors import descriptor as render_descriptor
from ledger.simulator.reference import Merchant, merchant_aliases


@cache
def _brand(merchant: Merchant) -> Brand:
    return Brand(merchant.name, merchant.category, merchant.processor, merchant_aliases().get(merchant.merchant_id, ()))


def descriptor(merchant: Merchant, city: str, region: str, rng: random.Random) -> str:
    """One plausible descriptor for a payment to `merchant` made in `city`, `region`."""
    return render_descriptor(_brand(merchant), city, region, rng)
