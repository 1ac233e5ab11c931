import { html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError } from '../api/client.js';
import { currentSession, logIn, signUp } from '../api/endpoints.js';
import type { User } from '../api/types.js';
import { paths } from '../router.js';
import { field } from '../ui/field.js';
import { shared } from '../ui/styles.js';
import { css } from 'lit';

/** Dispatched once a session exists; the app takes it from here. */
export class SignedInEvent extends Event {
  constructor(readonly user: User) {
    super('signed-in', { bubbles: true, composed: true });
  }
}

type FieldName = 'displayName' | 'email' | 'password';

/** Log in and sign up: one form, two modes. */
@customElement('auth-page')
export class AuthPage extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        max-width: 26rem;
        margin: 2rem auto;
      }
      .card {
        padding: 1.5rem;
      }
      h1 {
        margin-bottom: 0.5rem;
      }
      .lead {
        color: var(--muted);
        margin-bottom: 1.25rem;
      }
      form button {
        width: 100%;
        margin-top: 0.25rem;
      }
      .switch {
        margin: 1.25rem 0 0;
        text-align: center;
      }
    `,
  ];

  @property() mode: 'login' | 'signup' = 'login';

  @state() private values: Record<FieldName, string> = { displayName: '', email: '', password: '' };
  @state() private errors: Partial<Record<FieldName, string>> = {};
  @state() private message = '';
  @state() private busy = false;

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('mode')) {
      this.errors = {};
      this.message = '';
    }
  }

  override render() {
    const signup = this.mode === 'signup';
    const set = (name: FieldName) => (value: string) => {
      this.values = { ...this.values, [name]: value };
    };
    return html`<div class="card">
      <h1 tabindex="-1">${signup ? 'Create your account' : 'Log in'}</h1>
      <p class="lead">${signup ? 'Make 360° tours and put them on any site.' : 'Welcome back to the vr-tour studio.'}</p>
      ${this.message ? html`<div class="alert" role="alert">${this.message}</div>` : nothing}
      <form novalidate @submit=${this.submit}>
        ${signup
          ? field({ id: 'displayName', label: 'Your name (optional)', value: this.values.displayName, autocomplete: 'name', maxlength: 100, error: this.errors.displayName, onInput: set('displayName') })
          : nothing}
        ${field({ id: 'email', label: 'Email', type: 'email', value: this.values.email, autocomplete: 'email', required: true, error: this.errors.email, onInput: set('email') })}
        ${field({
          id: 'password',
          label: 'Password',
          type: 'password',
          value: this.values.password,
          autocomplete: signup ? 'new-password' : 'current-password',
          required: true,
          ...(signup ? { hint: 'At least 10 characters.' } : {}),
          error: this.errors.password,
          onInput: set('password'),
        })}
        <button class="primary" type="submit" ?disabled=${this.busy}>${signup ? 'Create account' : 'Log in'}</button>
      </form>
      <p class="switch">
        ${signup
          ? html`Already have an account? <a href=${paths.login()}>Log in</a>`
          : html`New here? <a href=${paths.signup()}>Create an account</a>`}
      </p>
    </div>`;
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const { email, password, displayName } = this.values;
    const missing: Partial<Record<FieldName, string>> = {};
    if (!email.trim()) missing.email = 'Enter your email address.';
    if (!password) missing.password = 'Enter a password.';
    this.message = '';
    this.errors = missing;
    if (Object.keys(missing).length) return this.focusFirstError();
    this.busy = true;
    try {
      const session = this.mode === 'signup' ? await this.signUp(email, password, displayName) : await logIn(email, password);
      if (session) this.dispatchEvent(new SignedInEvent(session.user));
    } catch (error) {
      this.showError(error);
    } finally {
      this.busy = false;
    }
  }

  /** Signs up, then asks the server whether that started a session. */
  private async signUp(email: string, password: string, displayName: string) {
    await signUp(email, password, displayName);
    const session = await currentSession();
    if (!session) {
      this.message = 'We could not sign you in with this email. If you already have an account, log in instead.';
    }
    return session;
  }

  private showError(error: unknown): void {
    if (!(error instanceof ApiError)) throw error;
    const errors: Partial<Record<FieldName, string>> = {};
    for (const name of ['displayName', 'email', 'password'] as const) {
      const text = error.field(name);
      if (text) errors[name] = text;
    }
    this.errors = errors;
    // Field messages stand beside their fields; anything else is said at the top.
    this.message = Object.keys(errors).length ? 'Please correct the fields marked below.' : error.message;
    if (Object.keys(errors).length) this.focusFirstError();
  }

  private async focusFirstError(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'auth-page': AuthPage;
  }
}
