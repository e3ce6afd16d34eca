"""Photos in: batches of photos as they arrive, stored before any analysis."""
