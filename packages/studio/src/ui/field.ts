import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';

export interface FieldOptions {
  /** Unique within the component's shadow root; also the input's name. */
  id: string;
  label: string;
  value: string;
  type?: 'text' | 'email' | 'password' | 'search';
  /** Shown under the label, tied to the input with aria-describedby. */
  hint?: string;
  /** Shown under the input and announced; marks the input invalid. */
  error?: string | undefined;
  autocomplete?: string;
  multiline?: boolean;
  required?: boolean;
  maxlength?: number;
  onInput?: (value: string) => void;
  onChange?: (value: string) => void;
}

/**
 * A labelled input with its hint and its error beside it: the label, the
 * input and the messages live in one shadow root, so the browser (and a
 * screen reader) ties them together.
 */
export function field(options: FieldOptions) {
  const { id, label, hint, error } = options;
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const onInput = (event: Event) => options.onInput?.((event.target as HTMLInputElement).value);
  const onChange = (event: Event) => options.onChange?.((event.target as HTMLInputElement).value);
  const control = options.multiline
    ? html`<textarea
        id=${id}
        name=${id}
        rows="4"
        maxlength=${ifDefined(options.maxlength)}
        aria-describedby=${ifDefined(described)}
        aria-invalid=${error ? 'true' : 'false'}
        .value=${live(options.value)}
        @input=${onInput}
        @change=${onChange}
      ></textarea>`
    : html`<input
        id=${id}
        name=${id}
        type=${options.type ?? 'text'}
        autocomplete=${ifDefined(options.autocomplete)}
        maxlength=${ifDefined(options.maxlength)}
        ?required=${options.required}
        aria-describedby=${ifDefined(described)}
        aria-invalid=${error ? 'true' : 'false'}
        .value=${live(options.value)}
        @input=${onInput}
        @change=${onChange}
      />`;
  return html`<div class="field">
    <label for=${id}>${label}</label>
    ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : nothing}
    ${control}
    ${error ? html`<p class="error" id="${id}-error">${error}</p>` : nothing}
  </div>`;
}
