-- Sign-in and sign-up attempts, counted in the database that holds the accounts so that every
-- instance of a cluster shares one count (db/auth-attempts.ts).
CREATE TABLE "server_events_auth_attempts" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"hits" bigint[] NOT NULL,
	"blocked_until" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	CONSTRAINT "server_events_auth_attempts_scope_key_pk" PRIMARY KEY("scope","key")
);
--> statement-breakpoint
CREATE INDEX "server_events_auth_attempts_expires_at_idx" ON "server_events_auth_attempts" USING btree ("expires_at");