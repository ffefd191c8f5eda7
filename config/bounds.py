"""Bounds that more than one layer checks (settings, the HTTP schema, the command line,
the engine, the chat widget): each is written once, here. The widget's copy,
widget/src/core/limits.ts, is generated from this module (`python -m config.widget_limits`)."""

TOP_K_MIN = 1
TOP_K_MAX = 20
"""Passages a query may ask for (`top_k`, `BOOKCHAT_TOP_K`, `--k`, `:k`)."""

MAX_FILTER_VALUES = 50
"""Values in one list filter (`{"source": [...]}`: any of them)."""

MAX_MESSAGE = 4000
"""Characters in a question (`message`)."""

MAX_HISTORY = 50
"""Earlier turns one request carries (`history`)."""

MAX_TURN = 8000
"""Characters in one earlier turn."""

MAX_SELECTED = 8000
"""Characters of the passage selected on the page (`selected_text`)."""

GEMINI_EMBED_DIMS = range(128, 3072 + 1)
"""Output dimensionalities gemini-embedding-001 accepts."""
