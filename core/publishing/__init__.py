"""Publishing: the paced, exactly-once queue that puts approved drafts on a marketplace."""
