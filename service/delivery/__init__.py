"""The service's outside: jobs, receipts, feedback, the journal and the watched inbox."""
