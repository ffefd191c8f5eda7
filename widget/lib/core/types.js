/** The wire types of the bookchat HTTP API (see docs/api.md). */
export {};
