-- Names become unique regardless of case. A database from before may hold both `Alice` and
-- `alice`: the oldest account keeps its name, every later one gets the start of its id appended
-- (`alice-1f2e3d4c`), which signs in from now on.
UPDATE "server_events_users" AS "later"
SET "name" = left("later"."name", 15) || '-' || left("later"."id", 8)
WHERE EXISTS (
  SELECT 1 FROM "server_events_users" AS "earlier"
  WHERE lower("earlier"."name") = lower("later"."name")
    AND ("earlier"."created_at", "earlier"."id") < ("later"."created_at", "later"."id")
);--> statement-breakpoint
CREATE UNIQUE INDEX "server_events_users_name_lower_unique" ON "server_events_users" USING btree (lower("name"));
