// The demo page's own behaviour: absolute URLs in the embed snippet, and the
// featured-tours gallery read from the public API.
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
    list.textContent = 'The gallery could not be loaded.';
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
  if (items.length === 0) list.textContent = 'No featured tours yet.';
}

const gallery = document.querySelector<HTMLElement>('#gallery');
if (gallery) void showGallery(gallery);
