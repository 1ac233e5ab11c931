// The demo page's own behaviour: absolute URLs in the embed snippet, the
// featured-tours gallery read from the public API, and the demo's own
// "opening-hours" hotspot type, registered with the viewer the page loaded.
import { openingHours } from './opening-hours.js';
interface TourSummary {
  id: string;
  title: string;
  thumbnailUrl: string | null;
  viewCount: number;
}

const origin = window.location.origin;
const snippet = document.querySelector('#embed-snippet');
if (snippet) snippet.textContent = snippet.textContent!.replaceAll('"/', `"${origin}/`);

async function showGallery(list: HTMLElement): Promise<void> {
  const response = await fetch('/api/v1/public/tours?featured=true&limit=12');
  if (!response.ok) {
    showNote(list, 'The gallery could not be loaded.');
    return;
  }
  const { items } = (await response.json()) as { items: TourSummary[] };
  for (const tour of items) {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = `#${tour.id}`;
    link.addEventListener('click', (event) => {
      event.preventDefault();
      document.querySelector('#demo-tour')?.setAttribute('src', `/api/v1/public/tours/${tour.id}`);
      document.querySelector('#tour-heading')?.scrollIntoView({ behavior: 'smooth' });
    });
    if (tour.thumbnailUrl) {
      const image = document.createElement('img');
      image.src = tour.thumbnailUrl;
      image.alt = '';
      image.loading = 'lazy';
      link.append(image);
    }
    const caption = document.createElement('span');
    caption.textContent = `${tour.title} · ${tour.viewCount} views`;
    link.append(caption);
    item.append(link);
    list.append(item);
  }
  if (items.length === 0) showNote(list, 'No featured tours yet.');
}

/** A line of text in the list, as a list item: a list holds nothing else. */
function showNote(list: HTMLElement, text: string): void {
  const item = document.createElement('li');
  item.textContent = text;
  list.replaceChildren(item);
}

const gallery = document.querySelector<HTMLElement>('#gallery');
if (gallery) void showGallery(gallery);

// The same module as the page's <script src="/vr-tour.js">: the registry it draws with.
const viewerUrl = '/vr-tour.js';
void (import(/* @vite-ignore */ viewerUrl) as Promise<{ registerHotspotType(name: string, renderer: object): void }>).then((viewer) =>
  viewer.registerHotspotType('opening-hours', openingHours),
);
