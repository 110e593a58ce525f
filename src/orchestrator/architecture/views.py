"""Pages of the enterprise architecture: /architecture, elements, states and gap analysis."""

urls: list = []
