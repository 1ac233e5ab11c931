import { defineConfig, type Plugin } from 'vite';
import { DEMO_TOUR_ID } from './src/demo-tour.js';

// The page names the demo tour by its fixed id; the server seeds that tour.
function demoTourId(): Plugin {
  return {
    name: 'demo-tour-id',
    transformIndexHtml: (html) => html.replaceAll('%DEMO_TOUR_ID%', DEMO_TOUR_ID),
  };
}

export default defineConfig({
  root: 'site',
  plugins: [demoTourId()],
  build: {
    outDir: '../dist',
    emptyOutDir: true,
  },
});
