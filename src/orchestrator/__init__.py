"""Orchestrator: the operating platform of the energy sector's Digitalisation Orchestrator."""
