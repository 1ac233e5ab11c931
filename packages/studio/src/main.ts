// The studio's entry: the shell and the pages a first visit shows (log in, my tours).
// The tour editor and the viewer are separate chunks, loaded when first needed.
import './app/studio-app.js';
