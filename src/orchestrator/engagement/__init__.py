"""The engagement channel: stakeholders' submissions and Research & Engagement's triage of them."""
