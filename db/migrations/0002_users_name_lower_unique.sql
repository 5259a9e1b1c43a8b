-- Names become unique regardless of case. A database from before may hold both `Alice` and
-- `alice`: the oldest account keeps its name, every later one gets the start of its id appended
-- (`alice-1f2e3d4c`, a counter after it if even that is taken; the name is cut to keep within 24
-- characters), which signs in from now on.
DO $$
DECLARE
  account record;
  tag text;
  candidate text;
  attempt int;
BEGIN
  FOR account IN
    SELECT "later"."id", "later"."name" FROM "server_events_users" AS "later"
    WHERE EXISTS (
      SELECT 1 FROM "server_events_users" AS "earlier"
      WHERE lower("earlier"."name") = lower("later"."name")
        AND ("earlier"."created_at", "earlier"."id") < ("later"."created_at", "later"."id")
    )
    ORDER BY "later"."created_at", "later"."id"
  LOOP
    attempt := 0;
    LOOP
      tag := left(replace(account."id", '-', ''), 8) || CASE WHEN attempt = 0 THEN '' ELSE attempt::text END;
      candidate := left(account."name", 23 - length(tag)) || '-' || tag;
      EXIT WHEN NOT EXISTS (SELECT 1 FROM "server_events_users" WHERE lower("name") = lower(candidate));
      attempt := attempt + 1;
    END LOOP;
    UPDATE "server_events_users" SET "name" = candidate WHERE "id" = account."id";
  END LOOP;
END $$;--> statement-breakpoint
CREATE UNIQUE INDEX "server_events_users_name_lower_unique" ON "server_events_users" USING btree (lower("name"));
