-- `user` and digits is how guests are named (lib/auth/credentials-schema.ts), so an account may no
-- longer pass as one. One created before that rule gets the start of its id appended (`user3-1f2e`,
-- a counter after it if even that is taken; cut to keep within 24 characters), which signs in
-- from now on.
DO $$
DECLARE
  account record;
  tag text;
  candidate text;
  attempt int;
BEGIN
  FOR account IN
    SELECT "id", "name" FROM "server_events_users" WHERE "name" ~* '^user[0-9]+$' ORDER BY "created_at", "id"
  LOOP
    attempt := 0;
    LOOP
      tag := left(replace(account."id", '-', ''), 4) || CASE WHEN attempt = 0 THEN '' ELSE attempt::text END;
      candidate := left(account."name", 23 - length(tag)) || '-' || tag;
      EXIT WHEN NOT EXISTS (SELECT 1 FROM "server_events_users" WHERE lower("name") = lower(candidate));
      attempt := attempt + 1;
    END LOOP;
    UPDATE "server_events_users" SET "name" = candidate WHERE "id" = account."id";
  END LOOP;
END $$;
