"""Assets by stage; `raw` holds the ledger extraction."""
