// The demo's own hotspot type, through the viewer's extension seam
// (registerHotspotType, see packages/viewer/README.md): custom hotspots whose
// template is "opening-hours" read their title and open a card with the hours
// from their payload. The payload is the tour document's, untrusted: it goes
// in as text only.

interface Hours {
  day: string;
  open: string;
  close: string;
}

interface OpeningHoursHotspot {
  title: string;
  payload: { timezone?: unknown; days?: unknown };
}

interface Host {
  openPopover(content: Node): void;
}

const isHours = (value: unknown): value is Hours =>
  typeof value === 'object' && value !== null && ['day', 'open', 'close'].every((key) => typeof (value as Record<string, unknown>)[key] === 'string');

/** The card: one row per day, and the time zone the hours are in. */
function hoursTable(hotspot: OpeningHoursHotspot): Node {
  const table = document.createElement('table');
  const days = Array.isArray(hotspot.payload.days) ? hotspot.payload.days.filter(isHours) : [];
  for (const { day, open, close } of days) {
    const row = table.insertRow();
    row.insertCell().textContent = day;
    row.insertCell().textContent = `${open}–${close}`;
  }
  if (typeof hotspot.payload.timezone === 'string') table.createCaption().textContent = `Times in ${hotspot.payload.timezone}`;
  return table;
}

export const openingHours = {
  shape: 'pill',
  icon: (hotspot: OpeningHoursHotspot) => hotspot.title,
  opensPopover: true,
  activate: (hotspot: OpeningHoursHotspot, host: Host) => host.openPopover(hoursTable(hotspot)),
};
