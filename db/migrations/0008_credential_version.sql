-- Password changes: sessions and known-browser cookies issued under an older version stop counting
-- (db/credential-versions.ts). Existing accounts start at 0, as do tokens without the claim.
ALTER TABLE "server_events_users" ADD COLUMN "credential_version" integer DEFAULT 0 NOT NULL;
