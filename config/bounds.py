"""Bounds that more than one layer checks (settings, the HTTP schema, the command line,
the engine): each is written once, here."""

TOP_K_MIN = 1
TOP_K_MAX = 20
"""Passages a query may ask for (`top_k`, `BOOKCHAT_TOP_K`, `--k`, `:k`)."""

MAX_FILTER_VALUES = 50
"""Values in one list filter (`{"source": [...]}`: any of them)."""

GEMINI_EMBED_DIMS = range(128, 3072 + 1)
"""Output dimensionalities gemini-embedding-001 accepts."""
