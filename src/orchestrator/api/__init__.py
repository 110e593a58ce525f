"""The JSON API (django-ninja) at /api/v1/, and personal API tokens."""
