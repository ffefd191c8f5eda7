// Generated from config/bounds.py by `python -m config.widget_limits`: do not edit.
// tests/test_widget_limits.py fails when this file and config/bounds.py disagree.
/** Characters in a question (`message`). */
export const MAX_MESSAGE = 4000;
/** Earlier turns one request carries (`history`). */
export const MAX_HISTORY = 50;
/** Characters in one earlier turn. */
export const MAX_TURN = 8000;
/** Characters of the passage selected on the page (`selected_text`). */
export const MAX_SELECTED = 8000;
