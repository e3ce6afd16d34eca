"""Prices from what sold: the seller's own market data, read through their session."""
