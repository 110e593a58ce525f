"""Strategic planning: objectives, metrics, investments, the roadmap, the RAID log, RACI and plan versions."""
