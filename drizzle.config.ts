import { defineConfig } from "drizzle-kit";

/** `npm run db:generate` writes SQL migrations under db/migrations; they are committed. */
export default defineConfig({
  dialect: "postgresql",
  schema: ["./db/schema.ts", "./db/auth-schema.ts", "./lib/server-events-postgres/schema.ts"],
  out: "./db/migrations",
  // Raw process.env: drizzle-kit loads this file on its own, outside the app and its path aliases.
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
});
