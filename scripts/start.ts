// `npm start` (after building the viewer and the demo site): the server, with
// the demo tour seeded on first start. The composition root: the server
// package knows nothing of the demo; this file wires the two together.
import { ConfigError, startServer, type RunningServer } from '@vr-tour/server';
import { DEMO_TOUR_ID, seedDemoTour } from './demo-seed.js';

async function start(): Promise<RunningServer> {
  try {
    return await startServer({ seed: seedDemoTour });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`vr-tour: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
}

const server = await start();
if (server.config.demo) {
  console.log(`\n  vr-tour is running.\n  Demo page:  ${server.url}/\n  Tour JSON:  ${server.url}/api/v1/public/tours/${DEMO_TOUR_ID}\n`);
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void server.close(signal).then(() => process.exit(0)));
}
