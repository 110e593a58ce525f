"""Pages of dependency maps, impact analysis, single points of failure, cycles and views."""

urls: list = []
