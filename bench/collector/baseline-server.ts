import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createSql } from '@vr-tour/db';

// The anchor: a collector shaped like Umami's, whose tracker sends one event
// per request and which writes each with autocommit statements: a session
// insert (id derived from a hash, ON CONFLICT DO NOTHING), the event insert,
// and a counter UPDATE. It receives the same batched bodies as the collector
// and handles each event exactly as Umami handles a request (3 autocommits
// per event). Like Umami it trusts the request as it comes: no validation
// beyond JSON, and retries bump the counters again.
const sql = createSql(process.env.DATABASE_URL!, { max: Number(process.env.DB_POOL ?? 20) });
const app = express();
app.set('trust proxy', true);
app.post('/collect', express.text({ type: () => true, limit: 32_768 }), async (req, res) => {
  try {
    const batch = JSON.parse(req.body as string) as {
      tourId: string;
      events: { id: string; type: string; offsetMs: number; sceneId?: string; hotspotId?: string }[];
    };
    const now = Date.now();
    const hash = createHash('sha256').update(`${batch.tourId}|${req.ip}|${req.get('user-agent')}`).digest();
    const h = hash.toString('hex');
    const sessionId = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
    for (const event of batch.events) {
      await sql`
        INSERT INTO user_sessions (id, tour_id, visitor_hash, started_at, last_seen_at)
        VALUES (${sessionId}, ${batch.tourId}, ${hash}, ${new Date(now)}, ${new Date(now)})
        ON CONFLICT (id) DO NOTHING`;
      await sql`
        INSERT INTO tour_analytics_events (id, tour_id, session_id, type, scene_id, hotspot_id, occurred_at, received_at)
        VALUES (${event.id}, ${batch.tourId}, ${sessionId}, ${event.type}, ${event.sceneId ?? null}, ${event.hotspotId ?? null},
                ${new Date(now - event.offsetMs)}, ${new Date(now)})
        ON CONFLICT (id) DO NOTHING`;
      await sql`
        UPDATE tours SET view_count = view_count + ${event.type === 'view' ? 1 : 0},
                         share_count = share_count + ${event.type === 'share' ? 1 : 0}
        WHERE id = ${batch.tourId}`;
    }
    res.json({ accepted: batch.events.length, duplicates: 0, rejected: [] });
  } catch (error) {
    res.status(500).json({ error: String(error) });
  }
});
const server = app.listen(0, '127.0.0.1');
await once(server, 'listening');
console.log(JSON.stringify({ msg: 'baseline listening', port: (server.address() as AddressInfo).port }));
process.once('SIGTERM', () => {
  server.close();
  void sql.end({ timeout: 2 }).then(() => process.exit(0));
});
