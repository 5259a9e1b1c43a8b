-- `user` and digits is how guests are named (lib/auth/credentials-schema.ts), so an account may no
-- longer pass as one. One created before that rule gets the start of its id appended
-- (`user3-1f2e`), which signs in from now on; cut to fit the 24 characters a name may have.
UPDATE "server_events_users"
SET "name" = left("name", 19) || '-' || left("id", 4)
WHERE "name" ~* '^user[0-9]+$';
