"""One module per resource: transfers, score, merchants, accounts, reports, health."""
