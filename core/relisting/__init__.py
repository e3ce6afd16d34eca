"""Relisting what did not sell: offered daily, done draft-first, exactly once."""
