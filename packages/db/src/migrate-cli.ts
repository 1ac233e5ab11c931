import { createSql } from './connect.js';
import { migrate } from './migrate.js';

// `DATABASE_URL=... node --import tsx packages/db/src/migrate-cli.ts`: applies
// pending migrations and prints their names, for operators and deploy steps.
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set: it names the PostgreSQL database to migrate');
  process.exit(2);
}
const sql = createSql(url, { max: 1 });
try {
  const applied = await migrate(sql);
  console.log(JSON.stringify({ applied }));
} finally {
  await sql.end();
}
