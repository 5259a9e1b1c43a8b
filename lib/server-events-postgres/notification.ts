/**
 * NOTIFY payloads are limited to 7,999 bytes (PostgreSQL 15). The bodies one notification carries
 * stay under this, leaving room for the `b <first> <last> <createdAt>` header built in SQL; a body
 * bigger on its own is read from the table by id ("spilled").
 */
export const INLINE_LIMIT_BYTES = 7_500;
