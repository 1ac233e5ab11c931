import { startServer } from '../../../src/index.js';
import { StubAnalyzer } from './stub-analyzer.js';

// The server process as scripts/start.ts runs it, with the stand-in analyzer
// (STUB_STEPS progress steps STUB_STEP_MS apart) and a short AI job lease, so
// a process killed mid-job is taken over soon.
const server = await startServer({
  analyzer: new StubAnalyzer({ steps: Number(process.env.STUB_STEPS ?? 5), stepMs: Number(process.env.STUB_STEP_MS ?? 200) }),
  aiJobs: { leaseMs: Number(process.env.AI_LEASE_MS ?? 1500), pollMs: 200 },
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void server.close(signal).then(() => process.exit(0)));
}
