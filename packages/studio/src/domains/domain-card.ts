import { css, html, LitElement, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ApiError } from '../api/client.js';
import { deleteDomain, verifyDomain } from '../api/custom-domains.js';
import type { CustomDomain, DnsRecord } from '../api/types.js';
import { paths } from '../router.js';
import { confirmAction } from '../ui/confirm-dialog.js';
import { duration, fromNow } from '../ui/format.js';
import { shared } from '../ui/styles.js';
import { certificateLabel, domainUrl, verificationLabel } from './domain-status.js';
import '../ui/copy-button.js';

/** The domain as the server answered after a check; the page takes it as the truth. */
export class DomainChangedEvent extends Event {
  constructor(readonly domain: CustomDomain) {
    super('domain-changed', { bubbles: true, composed: true });
  }
}

export class DomainRemovedEvent extends Event {
  constructor(readonly domain: CustomDomain) {
    super('domain-removed', { bubbles: true, composed: true });
  }
}

/** One custom domain: where it stands, the DNS records to create, "check now" and its cooldown, removal. */
@customElement('domain-card')
export class DomainCard extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        padding: 1.25rem;
      }
      h2 {
        overflow-wrap: anywhere;
        margin-bottom: 0.25rem;
      }
      .tour {
        color: var(--muted);
      }
      .states {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        margin: 0.5rem 0;
      }
      .badge.none {
        color: #374151;
      }
      .reason {
        color: var(--danger);
      }
      h3 {
        font-size: 1rem;
        margin: 1rem 0 0.25rem;
      }
      ol {
        list-style: none;
        padding: 0;
        margin: 0.5rem 0 0;
        display: grid;
        gap: 0.5rem;
      }
      li {
        padding: 0.75rem;
        border: 1px solid var(--line);
        border-radius: 8px;
        background: var(--canvas);
      }
      dl {
        display: grid;
        gap: 0.4rem;
        margin: 0;
      }
      dl > div {
        display: grid;
        grid-template-columns: 4rem minmax(0, 1fr);
        gap: 0.25rem 0.75rem;
        align-items: center;
      }
      dt {
        font-weight: 600;
      }
      dd {
        margin: 0;
        min-width: 0;
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 0.5rem;
      }
      code {
        font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
        font-size: 0.85rem;
        overflow-wrap: anywhere;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.75rem;
        margin-top: 1rem;
      }
      .cooldown,
      .outcome {
        font-size: 0.9rem;
        color: var(--muted);
        margin: 0;
      }
      button[aria-disabled='true'] {
        opacity: 0.6;
        cursor: default;
      }
      @media (max-width: 560px) {
        dl > div {
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ];

  @property({ attribute: false }) domain!: CustomDomain;
  /** The title of the tour it shows, when known. */
  @property() tourTitle = '';

  @state() private checking = false;
  /** Seconds until the server takes another "check now", after it answered 429. */
  @state() private cooldown = 0;
  /** What the last check found. */
  @state() private outcome = '';
  /** Said once to screen readers: the countdown beside the button is not read out every second. */
  @state() private spoken = '';
  @state() private problem = '';
  private ticker: ReturnType<typeof setInterval> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.ticker);
  }

  override render() {
    const domain = this.domain;
    const verification = verificationLabel(domain);
    const certificate = certificateLabel(domain);
    const live = domain.verificationStatus === 'verified' && domain.sslStatus === 'active';
    const name = `${domain.host}${domain.path === '/' ? '' : domain.path}`;
    return html`<article aria-labelledby="host">
      <h2 id="host" tabindex="-1">${name}</h2>
      <p class="tour">Shows <a href=${paths.editor(domain.tourId)}>${this.tourTitle || 'a tour'}</a>${live ? html` at <a href=${domainUrl(domain)} rel="noopener">${domainUrl(domain)}</a>` : nothing}.</p>
      <div class="states">
        <span class="badge ${verification.tone}">${verification.text}</span>
        <span class="badge ${certificate.tone}">${certificate.text}</span>
      </div>
      ${domain.verificationReason ? html`<p class="reason">${domain.verificationReason}</p>` : nothing}
      ${domain.sslReason ? html`<p class="reason">Certificate: ${domain.sslReason}</p>` : nothing}
      <p class="hint">${this.schedule()}</p>
      ${domain.verificationStatus === 'verified'
        ? html`<details>
            <summary>DNS records (keep them: they are checked daily)</summary>
            ${this.renderRecords()}
          </details>`
        : html`<h3>Create these DNS records at your DNS provider</h3>
            <p class="hint">Some providers want only the part of the name before your own domain.</p>
            ${this.renderRecords()}`}
      ${this.problem ? html`<div class="alert" role="alert">${this.problem}</div>` : nothing}
      <div class="actions">
        <button
          aria-label="Check the DNS of ${domain.host} now"
          aria-disabled=${this.checking || this.cooldown > 0 ? 'true' : 'false'}
          aria-describedby="cooldown"
          @click=${this.check}
        >
          ${this.checking ? 'Checking…' : 'Check now'}
        </button>
        <button aria-label="Remove ${domain.host}" @click=${this.removeDomain}>Remove</button>
      </div>
      <p class="cooldown" id="cooldown">${this.cooldown > 0 ? `Checked moments ago. You can check again in ${duration(this.cooldown)}.` : ''}</p>
      <p class="outcome" role="status">${this.outcome}</p>
      <p class="visually-hidden" role="status">${this.spoken}</p>
    </article>`;
  }

  private schedule(): string {
    const { lastCheckedAt, nextCheckAt, verificationStatus } = this.domain;
    const last = lastCheckedAt ? `Last checked ${fromNow(lastCheckedAt)}.` : 'Not checked yet.';
    if (verificationStatus === 'failed') return `${last} No more automatic checks: fix the records, then check now.`;
    return nextCheckAt ? `${last} Next automatic check ${fromNow(nextCheckAt)}.` : last;
  }

  private renderRecords() {
    const host = this.domain.host;
    const record = (entry: DnsRecord) => html`<li>
      <dl>
        <div>
          <dt>Type</dt>
          <dd><code>${entry.type}</code></dd>
        </div>
        <div>
          <dt>Name</dt>
          <dd>
            <code>${entry.name}</code>
            <copy-button .text=${entry.name} label="Copy the ${entry.type} record name for ${host}"></copy-button>
          </dd>
        </div>
        <div>
          <dt>Value</dt>
          <dd>
            <code>${entry.value}</code>
            <copy-button .text=${entry.value} label="Copy the ${entry.type} record value for ${host}"></copy-button>
          </dd>
        </div>
      </dl>
    </li>`;
    return html`<ol aria-label="DNS records for ${host}">
      ${this.domain.dnsRecords.map(record)}
    </ol>`;
  }

  private async check(): Promise<void> {
    if (this.checking || this.cooldown > 0) return;
    this.checking = true;
    this.problem = '';
    this.outcome = '';
    this.spoken = '';
    try {
      const checked = await verifyDomain(this.domain.id);
      const { check, ...domain } = checked;
      this.outcome = check.ok ? 'Checked: both records are right.' : `Checked: ${check.reason}.`;
      this.dispatchEvent(new DomainChangedEvent(domain));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 429 && error.retryAfterSeconds) {
        this.spoken = `Checked moments ago. You can check again in ${duration(error.retryAfterSeconds)}.`;
        this.coolDown(error.retryAfterSeconds);
      } else this.problem = `Not checked: ${error.message}`;
    } finally {
      this.checking = false;
    }
  }

  private coolDown(seconds: number): void {
    clearInterval(this.ticker);
    const until = Date.now() + seconds * 1000;
    this.cooldown = seconds;
    this.ticker = setInterval(() => {
      this.cooldown = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      if (this.cooldown > 0) return;
      clearInterval(this.ticker);
      this.spoken = 'You can check again now.';
    }, 1000);
  }

  private async removeDomain(): Promise<void> {
    const domain = this.domain;
    const confirmed = await confirmAction({
      title: `Remove ${domain.host}?`,
      body: `${domain.host} stops showing the tour at once. Its DNS records can then be removed at your DNS provider.`,
      confirm: 'Remove domain',
    });
    if (!confirmed) return;
    this.problem = '';
    try {
      await deleteDomain(domain.id);
      this.dispatchEvent(new DomainRemovedEvent(domain));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.problem = `Not removed: ${error.message}`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'domain-card': DomainCard;
  }
}
