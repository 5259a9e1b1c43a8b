// @ts-check
import { randomBytes } from "node:crypto";
import pg from "pg";

/** A throwaway database `bench_<random>` on the admin URL's server; `drop()` removes it. */
export async function createThrowawayDatabase(adminUrl) {
  const name = `bench_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const { rows } = await admin.query("SHOW server_version");
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return {
      name,
      url: url.toString(),
      serverVersion: rows[0].server_version,
      async drop() {
        const client = new pg.Client({ connectionString: adminUrl });
        await client.connect();
        try {
          await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await client.end();
        }
      },
    };
  } finally {
    await admin.end();
  }
}
