"""Pages for importing and exporting ArchiMate exchange files."""

urls: list = []
