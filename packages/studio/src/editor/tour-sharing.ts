import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Tour } from '../api/types.js';
import { paths } from '../router.js';
import { shared } from '../ui/styles.js';
import '../ui/copy-button.js';

/** For a double-quoted HTML attribute. */
const attribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** Everything a creator pastes elsewhere, all on this server's origin. */
export function shareCodes(tour: Pick<Tour, 'id' | 'title'>, origin: string) {
  return {
    /** The tour's own page (the server's share page). */
    link: `${origin}/t/${tour.id}`,
    /** The element, as any page embeds it. */
    tags: `<script type="module" src="${origin}/vr-tour.js"></script>\n<vr-tour src="${origin}/api/v1/public/tours/${tour.id}"></vr-tour>`,
    /** For sites that take an iframe only (the server's embed page). */
    iframe:
      `<iframe src="${origin}/embed/${tour.id}" title="${attribute(tour.title)}: 360° tour" width="100%" height="480" ` +
      `style="border:0" allow="fullscreen; gyroscope; accelerometer; xr-spatial-tracking" allowfullscreen loading="lazy"></iframe>`,
  };
}

/** The share link, the two tags for `<vr-tour>`, and the iframe code, each with a copy button. */
@customElement('tour-sharing')
export class TourSharing extends LitElement {
  static override styles = [
    shared,
    css`
      textarea,
      input {
        font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
        font-size: 0.8rem;
      }
      .field {
        margin-bottom: 0.5rem;
      }
      .block {
        margin-bottom: 1.25rem;
      }
      .note {
        padding: 0.6rem 0.75rem;
        margin-bottom: 1rem;
        border-radius: 8px;
        background: #fef3c7;
        color: #713f12;
      }
    `,
  ];

  @property({ attribute: false }) tour!: Tour;

  override render() {
    const tour = this.tour;
    const codes = shareCodes(tour, location.origin);
    const visible = tour.status === 'published' && tour.visibility !== 'private';
    const select = (event: Event) => (event.target as HTMLInputElement | HTMLTextAreaElement).select();
    return html`
      ${visible
        ? nothing
        : html`<p class="note">
            Visitors see the tour once it is published as unlisted or public. The link and the codes below already point to it.
          </p>`}
      <div class="block">
        <div class="field">
          <label for="share-link">Share link</label>
          <p class="hint" id="share-link-hint">The tour’s own page, for messages and social posts.</p>
          <input id="share-link" readonly aria-describedby="share-link-hint" .value=${codes.link} @focus=${select} />
        </div>
        <copy-button .text=${codes.link} caption="Copy share link"></copy-button>
      </div>
      <div class="block">
        <div class="field">
          <label for="embed">Embed code</label>
          <p class="hint" id="embed-hint">Paste these two tags into any page, on any site.</p>
          <textarea id="embed" rows="5" readonly aria-describedby="embed-hint" .value=${codes.tags} @focus=${select}></textarea>
        </div>
        <copy-button .text=${codes.tags} caption="Copy embed code"></copy-button>
      </div>
      <div class="block">
        <div class="field">
          <label for="iframe">Iframe code</label>
          <p class="hint" id="iframe-hint">For sites and site builders that take an iframe only.</p>
          <textarea id="iframe" rows="5" readonly aria-describedby="iframe-hint" .value=${codes.iframe} @focus=${select}></textarea>
        </div>
        <copy-button .text=${codes.iframe} caption="Copy iframe code"></copy-button>
      </div>
      <p><a href=${paths.domains(tour.id)}>Show it at a domain of your own</a></p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tour-sharing': TourSharing;
  }
}
