"""People: organisations, users, appointments to the report's roles, the register of interests, permissions."""
