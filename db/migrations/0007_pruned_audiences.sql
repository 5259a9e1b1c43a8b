-- The Postgres provider's prune marks per audience (lib/server-events-postgres/schema.ts); the
-- provider creates the same table itself, hence IF NOT EXISTS.
CREATE TABLE IF NOT EXISTS "server_events_pruned_audiences" (
	"audience" text PRIMARY KEY NOT NULL,
	"pruned_through" bigint NOT NULL
);
