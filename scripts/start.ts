// `npm start` (after building the viewer and the demo site): the server, with
// the demo tour seeded on first start. The composition root: the server
// package knows nothing of the demo; this file wires the two together.
import { configOrExit } from '@vr-tour/node-kit';
import { loadConfig, startServer } from '@vr-tour/server';
import { DEMO_TOUR_ID, seedDemoTour } from './demo-seed.js';

// A bad setting ends start-up with exit code 2 and a message naming it.
const config = configOrExit('vr-tour', () => loadConfig());
const server = await startServer({ config, seed: seedDemoTour });
if (server.config.demo) {
  console.log(`\n  vr-tour is running.\n  Demo page:  ${server.url}/\n  Tour JSON:  ${server.url}/api/v1/public/tours/${DEMO_TOUR_ID}\n`);
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void server.close(signal).then(() => process.exit(0)));
}
