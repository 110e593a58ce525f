"""Decision making: scheduled decisions, evidence, advisors' recommendations, consultation, Board review."""
