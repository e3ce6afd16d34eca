"""The marketplace's own category tree per site, and each draft's leaf in it."""
