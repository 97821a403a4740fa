"""Curation: from an article to reviewed, sourced claims (source add, suggest, accept, coverage)."""
