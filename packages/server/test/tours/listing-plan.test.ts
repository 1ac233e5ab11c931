import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '@vr-tour/db';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { listTours } from '../../src/tours/sql.js';

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Filter?: string;
  Plans?: PlanNode[];
}
const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

let db: TestDatabase;
let userId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  const [me] = await db.sql<{ id: string }[]>`INSERT INTO users (email) VALUES ('me@example.com') RETURNING id`;
  const [other] = await db.sql<{ id: string }[]>`INSERT INTO users (email) VALUES ('other@example.com') RETURNING id`;
  userId = me!.id;
  // 10,000 tours per user over the three statuses: enough rows that the planner's choice is a real one.
  await db.sql`
    INSERT INTO tours (user_id, title, status, published_at, archived_at, created_at)
    SELECT CASE WHEN g % 2 = 0 THEN ${me!.id}::uuid ELSE ${other!.id}::uuid END, 'Tour ' || g, s.status::tour_status,
           CASE WHEN s.status = 'published' THEN now() END, CASE WHEN s.status = 'archived' THEN now() END,
           now() - g * interval '1 minute'
    FROM generate_series(1, 20000) g, LATERAL (SELECT (ARRAY['draft', 'published', 'published', 'archived'])[g % 4 + 1] AS status) s`;
  await db.sql`ANALYZE tours`;
});
afterAll(async () => {
  await db.drop();
});

/** Runs the route's own listTours and returns the plan PostgreSQL chose for the exact statement it sent. */
async function planOf(options: Parameters<typeof listTours>[2]) {
  const sent: { query: string; parameters: unknown[] }[] = [];
  const capture = postgres(db.url, { max: 1, debug: (_connection, query, parameters) => sent.push({ query, parameters }) });
  try {
    const rows = await listTours(capture as unknown as Sql, userId, options);
    const { query, parameters } = sent.find((entry) => /FROM tours/.test(entry.query))!;
    const [row] = await db.sql.unsafe(`EXPLAIN (FORMAT JSON) ${query}`, parameters as never[]);
    return { rows, plan: nodes((row!['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan) };
  } finally {
    await capture.end();
  }
}

describe('"my tours" by status', () => {
  it('is one ordered range of idx_tours_user_status, first page and next pages alike: no filter, no sort', async () => {
    const first = await planOf({ status: 'published', limit: 20 });
    expect(first.rows).toHaveLength(21);
    const last = first.rows[19]!;
    const next = await planOf({ status: 'published', limit: 20, cursor: { at: last.cursor_at, id: last.id } });
    expect(next.rows.every((row) => row.status === 'published' && row.created_at < last.created_at)).toBe(true);
    for (const { plan } of [first, next]) {
      const scan = plan.find((node) => node['Index Name'] !== undefined);
      expect(scan?.['Index Name'], JSON.stringify(plan)).toBe('idx_tours_user_status');
      expect(scan?.Filter).toBeUndefined();
      expect(plan.map((node) => node['Node Type'])).not.toContain('Sort');
    }
  });
});
