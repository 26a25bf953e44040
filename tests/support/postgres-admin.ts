// Statements on the PostgreSQL server itself (create, clone, drop databases), for the test setup.
import pg from "pg";

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function dropPostgresDatabase(url: string, name: string): Promise<void> {
  await admin(url, (c) => c.query(`drop database if exists ${name} with (force)`));
}

/**
 * A new database: empty (from template0, with a UTF-8 ctype so that pg_trgm treats Japanese
 * characters as word characters), or a copy of `template`. Files cloning one template at the
 * same moment can meet "source database is being accessed by other users": they retry.
 */
export async function createPostgresDatabase(url: string, name: string, template?: string): Promise<void> {
  const statement = template
    ? `create database ${name} template ${template}`
    : `create database ${name} template template0 encoding 'UTF8' lc_ctype 'C.UTF-8' lc_collate 'C.UTF-8'`;
  for (let attempt = 1; ; attempt++) {
    try {
      await admin(url, (c) => c.query(statement));
      return;
    } catch (error) {
      const busy = (error as { code?: string }).code === "55006";
      if (!busy || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}
