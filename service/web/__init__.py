"""`itadoc serve`: the coordinator's read-only web page over the outbox."""
