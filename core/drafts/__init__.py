"""Drafts: one listing per item, from the analysis to the seller's approval."""
