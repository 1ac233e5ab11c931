import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS_DIR } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../src/migrate-cli.ts', import.meta.url));

describe('migrate', () => {
  let db: TestDatabase;
  let files: string[];
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    files = (await readdir(MIGRATIONS_DIR)).filter((file) => file.endsWith('.sql')).sort();
  });
  afterAll(() => db.drop());

  it('applies every migration to an empty database, then is a no-op', async () => {
    expect(await migrate(db.sql)).toEqual(files);
    expect(await migrate(db.sql)).toEqual([]);
    const rows = await db.sql<{ name: string }[]>`SELECT name FROM schema_migrations ORDER BY name`;
    expect(rows.map((row) => row.name)).toEqual(files);
    const [tours] = await db.sql`SELECT to_regclass('tours') AS name`;
    expect(tours?.name).toBe('tours');
  });

  it('applies each migration once when two processes start together', async () => {
    const fresh = await createTestDatabase({ migrated: false });
    try {
      const env = { ...process.env, DATABASE_URL: fresh.url };
      const [first, second] = await Promise.all(
        [0, 1].map(() => run(process.execPath, ['--import', 'tsx', cli], { env })),
      );
      const appliedByEach = [first, second].map((result) => JSON.parse(result!.stdout).applied as string[]);
      expect([...appliedByEach[0]!, ...appliedByEach[1]!].sort()).toEqual(files);
      const [count] = await fresh.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM schema_migrations`;
      expect(count?.n).toBe(files.length);
    } finally {
      await fresh.drop();
    }
  });

  it('refuses a recorded migration whose file has changed', async () => {
    await db.sql`UPDATE schema_migrations SET checksum = 'edited' WHERE name = ${files[0]!}`;
    await expect(migrate(db.sql)).rejects.toThrow(/was changed after it was applied/);
  });
});
