import { css, html, nothing, type TemplateResult } from 'lit';
import type { TourDocument } from '@vr-tour/protocol';
import type { ShareChannel } from '../events.js';
import type { View } from '../math.js';
import { adoptOnce } from './adopt.js';
import type { PanelsHost } from './host.js';

/** The `allow` list of the tour's iframe page: what it needs from the page around it. */
export const IFRAME_ALLOW = 'fullscreen; gyroscope; accelerometer; xr-spatial-tracking';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => ESCAPES[char]!);

/** The view as the iframe page's query and the element's attributes both take it. */
function viewOptions(sceneId: string | null, view: View): Array<[string, string]> {
  const options: Array<[string, string]> = sceneId ? [['scene', sceneId]] : [];
  return [...options, ['yaw', view.yaw.toFixed(1)], ['pitch', view.pitch.toFixed(1)], ['fov', view.fov.toFixed(0)]];
}

/** The tour's iframe page (`/embed/{id}` beside the document's server) opening at this view. */
export function iframeCode(src: string, tour: TourDocument, sceneId: string | null, view: View): string {
  const url = `${new URL(src).origin}/embed/${tour.id}?${new URLSearchParams(viewOptions(sceneId, view))}`;
  return (
    `<iframe src="${escapeHtml(url)}" width="640" height="360" title="${escapeHtml(tour.title)}" ` +
    `allow="${IFRAME_ALLOW}" allowfullscreen loading="lazy" frameborder="0" style="border:0;max-width:100%"></iframe>`
  );
}

/** The two tags an embedder pastes: the script from the document's server, and the element at this view. */
export function tagsCode(src: string, sceneId: string | null, view: View): string {
  const attributes = viewOptions(sceneId, view).map(([name, value]) => ` ${name}="${escapeHtml(value)}"`).join('');
  return (
    `<script type="module" src="${escapeHtml(new URL(src).origin)}/vr-tour.js"></script>\n` +
    `<vr-tour src="${escapeHtml(src)}"${attributes}></vr-tour>`
  );
}

interface DialogState {
  kind: 'iframe' | 'tags';
  status: string;
  timer: number;
}

const states = new WeakMap<HTMLElement, DialogState>();

/** Copies through the Clipboard API, else the selected field's text through the older command (sandboxed frames). */
async function copy(text: string, field: HTMLInputElement | HTMLTextAreaElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    field?.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

/**
 * The share dialog: the deep link with a copy button, the embed code (the
 * iframe page or the two tags) with a copy button, and the system share sheet
 * where the browser has one. A status line says what was copied (a live
 * region, so screen readers hear it); Escape or the close button closes it.
 */
export function renderShareDialog(host: PanelsHost, close: () => void): TemplateResult {
  const s = host.strings;
  let state = states.get(host.element);
  if (!state) states.set(host.element, (state = { kind: 'iframe', status: '', timer: 0 }));
  const current = state;
  const link = host.element.shareUrl();
  const sceneId = host.scene.id;
  const code = current.kind === 'iframe' ? iframeCode(host.src, host.tour, sceneId, host.view) : tagsCode(host.src, sceneId, host.view);
  const say = (text: string) => {
    current.status = text;
    clearTimeout(current.timer);
    // Cleared again, so that copying a second time is announced a second time.
    current.timer = window.setTimeout(() => ((current.status = ''), host.element.requestUpdate()), 4000);
    host.element.requestUpdate();
  };
  const copier = (text: string, channel: ShareChannel, done: string, field: string) => async (event: Event) => {
    const root = (event.currentTarget as HTMLElement).getRootNode() as ShadowRoot;
    if (await copy(text, root.querySelector<HTMLInputElement | HTMLTextAreaElement>(field))) {
      host.element.recordShare(link, channel);
      say(done);
    } else say(s.copyFailed);
  };
  const native = async () => {
    try {
      await navigator.share({ title: host.tour.title, url: link });
      host.element.recordShare(link, 'native');
    } catch {
      // Dismissed: nothing was shared.
    }
  };
  const choose = (kind: DialogState['kind']) => () => ((current.kind = kind), host.element.requestUpdate());
  return html`<div class="share panel" part="share-dialog" role="dialog" aria-labelledby="share-title"
    @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && (event.stopPropagation(), close())}>
    <button type="button" class="x" aria-label=${s.close} @click=${close}>×</button>
    <h2 id="share-title">${s.shareTitle}</h2>
    <label for="share-link">${s.shareLink}</label>
    <div class="row">
      <input id="share-link" readonly .value=${link} @focus=${(event: Event) => (event.target as HTMLInputElement).select()} />
      <button type="button" class="primary" autofocus @click=${copier(link, 'copy', s.linkCopied, '#share-link')}>${s.copyLink}</button>
    </div>
    <fieldset>
      <legend>${s.embedCode}</legend>
      <label><input type="radio" name="kind" .checked=${current.kind === 'iframe'} @change=${choose('iframe')} />${s.embedIframe}</label>
      <label><input type="radio" name="kind" .checked=${current.kind === 'tags'} @change=${choose('tags')} />${s.embedTags}</label>
      <textarea id="share-code" readonly rows="4" aria-label=${s.embedCode} .value=${code}></textarea>
      <button type="button" @click=${copier(code, 'embed', s.embedCopied, '#share-code')}>${s.copyEmbed}</button>
    </fieldset>
    ${typeof navigator.share === 'function' ? html`<button type="button" @click=${native}>${s.shareNative}</button>` : nothing}
    <p class="status" role="status">${current.status}</p>
  </div>`;
}

export const adopt = (root: ShadowRoot) => adoptOnce(root, styles);

const styles = css`
  .share {
    position: absolute;
    left: 50%;
    top: 50%;
    transform: translate(-50%, -50%);
    width: min(440px, calc(100% - 16px));
    max-height: calc(100% - 16px);
    overflow: auto;
    box-sizing: border-box;
    padding: 14px 16px;
    background: #fff;
    color: #111;
    border-radius: var(--vr-tour-radius, 8px);
    box-shadow: 0 4px 24px #0009;
    user-select: text;
    z-index: 3;
  }
  .share h2 { margin: 0 28px 10px 0; font-size: 16px; }
  .share label { display: block; margin: 6px 0 4px; }
  .share .row { display: flex; gap: 6px; }
  .share input[readonly], .share textarea {
    flex: 1;
    min-width: 0;
    box-sizing: border-box;
    width: 100%;
    font: 12px/1.4 ui-monospace, monospace;
    padding: 6px;
    border: 1px solid #888;
    border-radius: 4px;
    resize: vertical;
  }
  .share fieldset { border: 0; padding: 0; margin: 10px 0 0; }
  .share legend { font-weight: 600; padding: 0; }
  .share fieldset label { display: inline-flex; gap: 4px; align-items: center; margin-right: 12px; }
  .share button:not(.x) {
    min-height: 36px;
    margin-top: 6px;
    padding: 0 12px;
    border: 1px solid #444;
    border-radius: 4px;
    background: #fff;
    color: #111;
    font: inherit;
    cursor: pointer;
  }
  .share .row button { margin-top: 0; }
  .share button.primary { background: var(--vr-tour-primary, #1d4ed8); border-color: transparent; color: #fff; }
  .share button:focus-visible, .share input:focus-visible, .share textarea:focus-visible { outline: 3px solid var(--vr-tour-accent, #3b82f6); outline-offset: 1px; }
  .share .x { position: absolute; top: 6px; right: 6px; width: 36px; height: 36px; border: 0; background: none; font-size: 22px; cursor: pointer; }
  .share .status { margin: 8px 0 0; min-height: 1.4em; font-weight: 600; color: #065f46; }
`;
