"""Core: the one record model, its visibility and triage, typed links, and the audit chain."""
