"""Document kinds and what each needs: contexts, narrative sentences and charts."""
