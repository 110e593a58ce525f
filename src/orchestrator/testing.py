"""A pytest plugin (loaded with `-p orchestrator.testing`) that sets the test environment before Django starts."""

import os

# Tests speak plain HTTP to the test client and to a live server on localhost.
os.environ.setdefault("SECRET_KEY", "insecure-test-only-key-for-pytest-0123456789-abcdefghij")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
