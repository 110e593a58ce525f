"""The production settings with one change: `reads_urls`, which adds the benchmark's trivial view.

Used only by benchmarks/reads.py, which puts benchmarks/ on gunicorn's Python path.
"""

from orchestrator.settings import *  # noqa: F403

ROOT_URLCONF = "reads_urls"
