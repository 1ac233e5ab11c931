import { css } from 'lit';

/**
 * The look every studio component shares. Colours come from custom properties
 * set once in index.html; each pair of text and background colours here meets
 * WCAG AA contrast. Touch targets are at least 44 px high.
 */
export const shared = css`
  :host {
    display: block;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  h1 {
    font-size: 1.6rem;
    line-height: 1.2;
    margin: 0;
  }
  h2 {
    font-size: 1.1rem;
    margin: 0 0 0.75rem;
  }
  h1:focus {
    outline: none;
  }
  a {
    color: var(--accent);
  }
  p {
    margin: 0 0 0.75rem;
  }
  button,
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4rem;
    min-height: 44px;
    padding: 0.5rem 1rem;
    font: inherit;
    font-weight: 600;
    color: var(--ink);
    background: var(--surface);
    border: 1px solid var(--line-strong);
    border-radius: 8px;
    cursor: pointer;
    text-decoration: none;
    white-space: nowrap;
  }
  button:hover,
  .button:hover {
    background: var(--hover);
  }
  button.primary,
  .button.primary {
    color: #fff;
    background: var(--accent);
    border-color: var(--accent);
  }
  button.primary:hover,
  .button.primary:hover {
    background: var(--accent-dark);
  }
  /* For what cannot be undone (deleting); white on --danger meets AA. */
  button.danger {
    color: #fff;
    background: var(--danger);
    border-color: var(--danger);
  }
  button.danger:hover {
    background: #991b1b;
  }
  button.link {
    min-height: 0;
    padding: 0;
    border: none;
    background: none;
    color: var(--accent);
    text-decoration: underline;
    font-weight: 400;
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  :focus-visible {
    outline: 3px solid var(--focus);
    outline-offset: 2px;
  }
  .field {
    display: grid;
    gap: 0.35rem;
    margin-bottom: 1rem;
  }
  label,
  legend {
    font-weight: 600;
  }
  input:not([type='radio']):not([type='checkbox']),
  textarea,
  select {
    width: 100%;
    min-height: 44px;
    padding: 0.5rem 0.7rem;
    font: inherit;
    color: var(--ink);
    background: var(--surface);
    border: 1px solid var(--line-strong);
    border-radius: 8px;
  }
  textarea {
    resize: vertical;
  }
  [aria-invalid='true'] {
    border-color: var(--danger) !important;
    box-shadow: 0 0 0 1px var(--danger);
  }
  .hint {
    color: var(--muted);
    font-size: 0.9rem;
    margin: 0;
  }
  .error {
    color: var(--danger);
    font-size: 0.9rem;
    margin: 0;
  }
  .alert {
    padding: 0.75rem 1rem;
    margin: 0 0 1rem;
    color: var(--danger);
    background: var(--danger-bg);
    border: 1px solid var(--danger-line);
    border-radius: 8px;
  }
  .card {
    background: var(--surface);
    border: 1px solid var(--line);
    border-radius: 12px;
  }
  .badge {
    display: inline-block;
    padding: 0.1rem 0.55rem;
    font-size: 0.8rem;
    font-weight: 600;
    line-height: 1.5;
    border-radius: 999px;
    color: #1f2937;
    background: #e5e7eb;
  }
  .badge.published,
  .badge.ready {
    color: #14532d;
    background: #dcfce7;
  }
  .badge.draft,
  .badge.processing,
  .badge.pending {
    color: #713f12;
    background: #fef3c7;
  }
  .badge.failed {
    color: #7f1d1d;
    background: #fee2e2;
  }
  /* A panorama's thumbnail (or its empty place), 2:1 like the panorama. */
  .thumb {
    display: block;
    width: 100%;
    aspect-ratio: 2 / 1;
    object-fit: cover;
    background: var(--canvas-dark);
  }
  /* !important: a form control's own rules above must not size it (a 100%-wide hidden input widens a phone's page). */
  .visually-hidden {
    position: absolute !important;
    width: 1px !important;
    height: 1px !important;
    min-height: 0 !important;
    padding: 0 !important;
    border: 0 !important;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
