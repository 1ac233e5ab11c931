import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import type { Constructor } from '../tour-element-base.js';
import type { LoadingElementBase } from './loading.js';
import { clamp, FOV_MAX, FOV_MIN } from '../math.js';

/** Inertia: velocity halves about every 170 ms after the pointer lets go. */
const INERTIA_MS = 250;
const RAD = Math.PI / 180;

/** Yaw and pitch (degrees) the back of the device points at, from DeviceOrientationEvent angles. */
export function orientationView(alpha: number, beta: number, gamma: number): { heading: number; pitch: number } {
  const [a, b, g] = [alpha * RAD, beta * RAD, gamma * RAD];
  // -Z of the device in the earth frame (x east, y north, z up), for R = Rz(alpha) Rx(beta) Ry(gamma).
  const x = -(Math.cos(a) * Math.sin(g) + Math.sin(a) * Math.sin(b) * Math.cos(g));
  const y = -(Math.sin(a) * Math.sin(g) - Math.cos(a) * Math.sin(b) * Math.cos(g));
  const z = -Math.cos(b) * Math.cos(g);
  return { heading: Math.atan2(x, y) / RAD, pitch: Math.asin(clamp(z, -1, 1)) / RAD };
}

export interface ControlsInterface {
  /** Enters or leaves full screen. */
  toggleFullscreen(): Promise<void>;
  /** Starts or stops following the device's orientation (asks iOS for permission first). */
  toggleGyroscope(): Promise<boolean>;
}

/**
 * Controls: drag with inertia, wheel (only while focused or with Ctrl, so the
 * page still scrolls) and pinch zoom, arrow keys and +/- on the element only,
 * full screen, gyroscope, autorotation after inactivity, and the control bar.
 */
export const ControlsMixin = <T extends Constructor<LoadingElementBase & { openShareDialog(): Promise<void> }>>(Base: T) => {
  class ControlsElement extends Base {
    @state() private gyro = false;
    private pointers = new Map<number, { x: number; y: number }>();
    private velocity = { yaw: 0, pitch: 0 };
    private lastMove = 0;
    private lastTick = 0;
    private pinch: { distance: number; fov: number } | null = null;
    private idleTimer = 0;
    private gyroBase: { heading: number; yaw: number } | null = null;

    override connectedCallback(): void {
      super.connectedCallback();
      this.addEventListener('pointerdown', this.onPointerDown);
      this.addEventListener('pointermove', this.onPointerMove);
      this.addEventListener('pointerup', this.onPointerUp);
      this.addEventListener('pointercancel', this.onPointerUp);
      this.addEventListener('wheel', this.onWheel, { passive: false });
      this.addEventListener('keydown', this.onKey);
    }

    override disconnectedCallback(): void {
      super.disconnectedCallback();
      clearTimeout(this.idleTimer);
      if (this.gyro) void this.toggleGyroscope();
    }

    protected override interacted(): void {
      super.interacted();
      clearTimeout(this.idleTimer);
      const speed = this.autorotateSpeed();
      // Wake the render loop when the idle time is over: nothing runs in between.
      if (speed) this.idleTimer = window.setTimeout(() => this.invalidate(), this.idleMs() + 20);
    }

    protected override onTour(tour: Parameters<LoadingElementBase['onTour']>[0]): void {
      super.onTour(tour);
      this.interacted();
    }

    protected override updated(changed: PropertyValues): void {
      super.updated(changed);
      // Turned on later: count the idle time from now.
      if (changed.has('autorotate') && this.tour) this.interacted();
    }

    private idleMs(): number {
      return this.tour?.settings.autorotate.idleMs ?? 8000;
    }

    private autorotateSpeed(): number {
      if (matchMedia('(prefers-reduced-motion: reduce)').matches) return 0;
      const settings = this.tour?.settings.autorotate;
      if (this.autorotate !== null) {
        const speed = Number.parseFloat(this.autorotate);
        return Number.isFinite(speed) ? speed : settings?.speed || 3;
      }
      return settings?.enabled ? settings.speed : 0;
    }

    private isControl(event: Event): boolean {
      const origin = event.composedPath()[0] as Element;
      return !!origin.closest?.('button,a,.pop,.bar,.panel,video,audio,[slot]');
    }

    private onPointerDown = (event: PointerEvent): void => {
      if (this.isControl(event) || event.button > 0) return;
      this.setPointerCapture(event.pointerId);
      this.pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      this.velocity = { yaw: 0, pitch: 0 };
      this.lastMove = event.timeStamp;
      // The second finger down starts a pinch: the fov scales with the spread from here.
      this.pinch = this.pointers.size === 2 ? { distance: this.spread(), fov: this.view.fov } : null;
      this.renderRoot.querySelector('.stage')?.classList.add('drag');
      this.interacted();
    };

    private onPointerMove = (event: PointerEvent): void => {
      const last = this.pointers.get(event.pointerId);
      if (!last) return;
      const point = { x: event.clientX, y: event.clientY };
      this.pointers.set(event.pointerId, point);
      this.interacted();
      if (this.pointers.size === 2) {
        const distance = this.spread();
        this.pinch ??= { distance, fov: this.view.fov };
        this.setView({ fov: clamp((this.pinch.fov * this.pinch.distance) / distance, FOV_MIN, FOV_MAX) });
        return;
      }
      // Grab the panorama: a drag across the width turns by one field of view.
      const scale = this.view.fov / Math.max(1, this.cssWidth);
      const yaw = -(point.x - last.x) * scale;
      const pitch = (point.y - last.y) * scale;
      const dt = Math.max(1, event.timeStamp - this.lastMove);
      this.lastMove = event.timeStamp;
      this.velocity = { yaw: 0.8 * (yaw / dt) + 0.2 * this.velocity.yaw, pitch: 0.8 * (pitch / dt) + 0.2 * this.velocity.pitch };
      this.setView({ yaw: this.view.yaw + yaw, pitch: this.view.pitch + pitch });
    };

    /** Distance between the first two pointers (CSS px, at least 1). */
    private spread(): number {
      const [p, q] = [...this.pointers.values()] as [{ x: number; y: number }, { x: number; y: number }];
      return Math.hypot(p.x - q.x, p.y - q.y) || 1;
    }

    private onPointerUp = (event: PointerEvent): void => {
      if (!this.pointers.delete(event.pointerId)) return;
      this.pinch = null;
      if (this.pointers.size) return;
      this.renderRoot.querySelector('.stage')?.classList.remove('drag');
      // A pause before letting go means no fling.
      if (event.timeStamp - this.lastMove > 80) this.velocity = { yaw: 0, pitch: 0 };
      this.lastTick = 0;
      this.interacted();
      this.invalidate();
    };

    private onWheel = (event: WheelEvent): void => {
      if (!event.ctrlKey && !this.matches(':focus-within')) return;
      event.preventDefault();
      const delta = event.deltaY * (event.deltaMode === 1 ? 33 : event.deltaMode === 2 ? 400 : 1);
      this.interacted();
      this.setView({ fov: this.view.fov * Math.exp(clamp(delta, -200, 200) * 0.002) });
    };

    private onKey = (event: KeyboardEvent): void => {
      if (event.altKey || event.metaKey || event.ctrlKey || this.isControl(event) && !event.key.startsWith('Arrow')) return;
      if ((event.composedPath()[0] as Element).closest?.('.pop,.panel')) return;
      const step = this.view.fov / 9;
      const { yaw, pitch, fov } = this.view;
      const moves: Record<string, () => void> = {
        ArrowLeft: () => this.setView({ yaw: yaw - step }),
        ArrowRight: () => this.setView({ yaw: yaw + step }),
        ArrowUp: () => this.setView({ pitch: pitch + step }),
        ArrowDown: () => this.setView({ pitch: pitch - step }),
        '+': () => this.setView({ fov: fov / 1.2 }),
        '=': () => this.setView({ fov: fov / 1.2 }),
        '-': () => this.setView({ fov: fov * 1.2 }),
        _: () => this.setView({ fov: fov * 1.2 }),
      };
      const move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      this.interacted();
      move();
    };

    protected override tick(now: number): boolean {
      let moving = super.tick(now);
      const dt = this.lastTick ? Math.min(now - this.lastTick, 100) : 16;
      this.lastTick = now;
      const { yaw, pitch } = this.velocity;
      if (!this.pointers.size && (Math.abs(yaw) > 0.002 || Math.abs(pitch) > 0.002)) {
        const decay = Math.exp(-dt / INERTIA_MS);
        this.velocity = { yaw: yaw * decay, pitch: pitch * decay };
        this.setView({ yaw: this.view.yaw + yaw * dt, pitch: this.view.pitch + pitch * dt });
        moving = true;
      } else if (!this.pointers.size) this.velocity = { yaw: 0, pitch: 0 };
      const speed = this.autorotateSpeed();
      if (speed && !this.gyro && !this.pointers.size && performance.now() - this.lastInteraction > this.idleMs()) {
        this.view = { ...this.view, yaw: this.view.yaw + (speed * dt) / 1000 };
        moving = true;
      }
      if (!moving) this.lastTick = 0;
      return moving;
    }

    async toggleFullscreen(): Promise<void> {
      if (document.fullscreenElement === this) await document.exitFullscreen();
      else await this.requestFullscreen?.({ navigationUI: 'hide' });
    }

    async toggleGyroscope(): Promise<boolean> {
      if (this.gyro) {
        removeEventListener('deviceorientation', this.onOrientation);
        this.gyro = false;
        return false;
      }
      const permission = (globalThis.DeviceOrientationEvent as unknown as { requestPermission?: () => Promise<string> })?.requestPermission;
      // iOS 13+: must be asked from a user gesture (this runs from the button's click).
      if (permission && (await permission().catch(() => 'denied')) !== 'granted') return false;
      this.gyroBase = null;
      addEventListener('deviceorientation', this.onOrientation);
      this.gyro = true;
      return true;
    }

    private onOrientation = (event: DeviceOrientationEvent): void => {
      if (event.alpha === null || event.beta === null || event.gamma === null) return;
      const { heading, pitch } = orientationView(event.alpha, event.beta, event.gamma);
      this.gyroBase ??= { heading, yaw: this.view.yaw };
      this.setView({ yaw: this.gyroBase.yaw + heading - this.gyroBase.heading, pitch });
    };

    protected override renderControls(): TemplateResult | typeof nothing {
      if (!this.controls) return nothing;
      const s = this.strings;
      const zoom = (factor: number) => () => (this.interacted(), this.setView({ fov: this.view.fov * factor }));
      const touch = 'DeviceOrientationEvent' in globalThis && matchMedia('(pointer: coarse)').matches;
      return html`<div class="bar" part="controls">
        <button type="button" part="control" aria-label=${s.zoomIn} title=${s.zoomIn} @click=${zoom(1 / 1.25)}>+</button>
        <button type="button" part="control" aria-label=${s.zoomOut} title=${s.zoomOut} @click=${zoom(1.25)}>−</button>
        ${touch
          ? html`<button type="button" part="control" aria-pressed=${this.gyro} aria-label=${s.gyro} title=${s.gyro}
              @click=${() => this.toggleGyroscope()}>◎</button>`
          : nothing}
        ${this.branding === 'off'
          ? nothing
          : html`<button type="button" part="control" aria-label=${s.share} title=${s.share} aria-haspopup="dialog" @click=${() => this.openShareDialog()}>
              <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M4 12v8h16v-8M12 3v13M7 8l5-5 5 5"/></svg>
            </button>`}
        ${document.fullscreenEnabled
          ? html`<button type="button" part="control" aria-label=${s.fullscreen} title=${s.fullscreen}
              @click=${() => this.toggleFullscreen()}>
              <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5"/></svg>
            </button>`
          : nothing}
      </div>`;
    }
  }
  return ControlsElement as unknown as Constructor<ControlsInterface> & T;
};
