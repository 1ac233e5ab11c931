import type { PropertyValues } from 'lit';
import type { Constructor, TourElementBase } from '../tour-element-base.js';

/**
 * Accessibility: the host is a focusable `role="application"` with a
 * translated `aria-roledescription` and the tour's title as its name (unless
 * the page set them); the live region announcing scenes is in the base template.
 */
export const A11yMixin = <T extends Constructor<TourElementBase>>(Base: T) => {
  class A11yElement extends Base {
    private authored: Record<string, boolean> | null = null;

    override connectedCallback(): void {
      super.connectedCallback();
      this.authored ??= {
        role: this.hasAttribute('role'),
        tabindex: this.hasAttribute('tabindex'),
        'aria-label': this.hasAttribute('aria-label'),
        'aria-roledescription': this.hasAttribute('aria-roledescription'),
      };
      this.own('role', 'application');
      this.own('tabindex', '0');
    }

    private own(name: string, value: string): void {
      if (!this.authored![name]) this.setAttribute(name, value);
    }

    protected override updated(changed: PropertyValues): void {
      super.updated(changed);
      if (changed.has('lang') || changed.has('tour')) {
        const strings = this.strings;
        this.own('aria-roledescription', strings.roledescription);
        this.own('aria-label', this.tour?.title ?? strings.label);
      }
    }
  }
  return A11yElement as Constructor<object> & T;
};
