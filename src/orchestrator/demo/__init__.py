"""The demo: the Orchestrator as the report describes it, loaded into an empty database."""
