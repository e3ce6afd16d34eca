"""Sellers' marketplace accounts: the cookies they paste, sealed at rest, kept rotated."""
