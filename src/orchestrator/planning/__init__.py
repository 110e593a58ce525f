"""Strategic planning: objectives, success metrics and their measurements (and, to come, the portfolio)."""
