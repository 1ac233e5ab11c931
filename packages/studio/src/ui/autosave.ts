import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { ApiError } from '../api/client.js';

export type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

/** A save refused before it was sent (a value the server would refuse), in words for the person. */
export class SaveRefused extends Error {}

/**
 * Edits that save themselves: a pause in editing (or `flush`, when a field is
 * left) sends them, one save at a time; edits made during a save are sent
 * after it. The state is always there to show (`saveStatus`). `save` sends
 * what differs from the server's copy; it throws an ApiError or SaveRefused
 * to say why nothing was saved.
 */
export class Autosave implements ReactiveController {
  state: SaveState = 'idle';
  problem = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | null = null;
  /** Counts edits, so a save can tell whether more came while it ran. */
  private edits = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly save: () => Promise<void>,
    private readonly delayMs = 700,
  ) {
    host.addController(this);
  }

  /** True while an edit is not yet on the server. */
  get unsaved(): boolean {
    return this.state === 'pending' || this.state === 'saving' || this.state === 'error';
  }

  hostDisconnected(): void {
    // An edit made just before leaving is still saved.
    if (this.state === 'pending') void this.flush();
  }

  /** Something was edited: it is saved after a pause. */
  changed(): void {
    this.edits += 1;
    this.set('pending');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Saves now what is waiting (or failed before); a save already running finishes first. */
  readonly flush = async (): Promise<void> => {
    clearTimeout(this.timer);
    while (this.running) await this.running;
    if (this.state !== 'pending' && this.state !== 'error') return;
    const edits = this.edits;
    this.set('saving');
    this.running = (async () => {
      try {
        await this.save();
        if (this.edits !== edits) this.changed();
        else this.set('saved');
      } catch (error) {
        if (!(error instanceof ApiError || error instanceof SaveRefused)) throw error;
        this.problem = error.message;
        this.set('error');
      } finally {
        this.running = null;
      }
    })();
    await this.running;
  };

  private set(state: SaveState): void {
    this.state = state;
    if (state !== 'error') this.problem = '';
    this.host.requestUpdate();
  }
}

/** The state of an Autosave, announced as it changes. */
export function saveStatus(autosave: Autosave, idle = 'Changes are saved as you make them.') {
  const text = {
    idle,
    pending: 'Unsaved changes…',
    saving: 'Saving…',
    saved: '✓ Saved',
    error: html`Not saved: ${autosave.problem} <button class="link" @click=${autosave.flush}>Try again</button>`,
  }[autosave.state];
  return html`<div class="save-state ${autosave.state}" role="status">${autosave.state === 'error' && !autosave.problem ? nothing : text}</div>`;
}

export const saveStatusStyles = css`
  .save-state {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    min-height: 1.75rem;
    font-size: 0.9rem;
    color: var(--muted);
  }
  .save-state.saved {
    color: var(--ok);
  }
  .save-state.error {
    color: var(--danger);
  }
`;
