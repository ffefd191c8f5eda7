"""bookchat's terminal front end: the `bookchat` command line and the REPL."""
