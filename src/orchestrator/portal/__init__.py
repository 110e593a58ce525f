"""Portal: the Shared Knowledge Base's pages — home, record pages, the withheld register, the audit log."""
