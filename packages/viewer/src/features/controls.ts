import { nothing, type PropertyValues, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import type { Constructor } from '../tour-element-base.js';
import type { LoadingElementBase } from './loading.js';
import type { HotspotsElementBase } from './hotspots.js';
import { loadUi, uiModule } from '../lazy-ui.js';
import type { ControlsView } from '../ui/control-bar.js';
import { clamp, FOV_MAX } from '../math.js';

/** Inertia: velocity halves about every 170 ms after the pointer lets go. */
const INERTIA_MS = 250;
/** A pointer that moved less than this (CSS px) between down and up tapped. */
const TAP_SLOP = 10;

export interface ControlsInterface {
  /** Enters or leaves full screen. */
  toggleFullscreen(): Promise<void>;
  /** Starts or stops following the device's orientation (asks iOS for permission first). */
  toggleGyroscope(): Promise<boolean>;
  /** Starts or stops turning by itself (autorotation), whatever the attribute and the tour say. */
  toggleAutorotate(): void;
}

/**
 * Controls: drag with inertia, wheel (only while focused or with Ctrl, so the
 * page still scrolls), two-finger turn and pinch zoom, arrow keys and +/- on
 * the element only, full screen, gyroscope, autorotation after inactivity,
 * and the control bar (from the UI chunk). On touch screens one finger scrolls
 * the page, as on maps, until a tap (or full screen) activates the tour; a
 * hint says so. Loads the UI chunk once the tour document arrived, and holds
 * `load` and `error` until it is in place.
 */
export const ControlsMixin = <T extends Constructor<LoadingElementBase & HotspotsElementBase & { openShareDialog(): Promise<void> }>>(Base: T) => {
  class ControlsElement extends Base {
    @state() private gyro = false;
    @state() private hint = false;
    /** null: autorotation as the attribute and the tour say; else the control bar's choice. */
    @state() private rotation: boolean | null = null;
    /** Touch gestures turn the view (after a tap on the tour). */
    private touchActive = false;
    private pointers = new Map<number, { x: number; y: number }>();
    private velocity = { yaw: 0, pitch: 0 };
    private lastMove = 0;
    private lastTick = 0;
    private pinch: { distance: number; fov: number; x: number; y: number } | null = null;
    private down: { x: number; y: number } | null = null;
    private idleTimer = 0;
    private hintTimer = 0;
    private stopGyro: (() => void) | null = null;
    private uiAdopted = false;

    override connectedCallback(): void {
      super.connectedCallback();
      this.addEventListener('touchstart', this.onTouch, { passive: false });
      this.addEventListener('touchmove', this.onTouch, { passive: false });
      document.addEventListener('fullscreenchange', this.onFullscreen);
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
      document.removeEventListener('fullscreenchange', this.onFullscreen);
      if (this.gyro) void this.toggleGyroscope();
    }

    private onFullscreen = (): void => {
      this.touchActive ||= document.fullscreenElement === this;
      this.requestUpdate();
    };

    /** Two fingers on a tour not yet activated: take them from the page (which would scroll). */
    private onTouch = (event: TouchEvent): void => {
      if (!this.touchActive && event.touches.length > 1 && event.cancelable && !this.isControl(event)) event.preventDefault();
    };

    private requestUi(): Promise<unknown> {
      return loadUi().then(() => this.requestUpdate(), () => {});
    }

    protected override dispatchSettled(event: Event): void {
      // `load` and `error` come once the element shows that state, controls included.
      void this.requestUi()
        .then(() => this.updateComplete)
        .then(() => super.dispatchSettled(event));
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
      void this.requestUi();
    }

    protected override updated(changed: PropertyValues): void {
      super.updated(changed);
      // Turned on later: count the idle time from now.
      if (changed.has('autorotate') && this.tour) this.interacted();
      const ui = uiModule();
      if (ui && !this.uiAdopted) {
        this.uiAdopted = true;
        ui.adoptUiStyles(this);
      }
      this.renderRoot.querySelector('.stage')?.classList.toggle('active', this.touchActive);
    }

    override visibility(visible: boolean): void {
      super.visibility(visible);
      // Scrolled away and back: one finger scrolls the page again.
      if (!visible && this.touchActive && document.fullscreenElement !== this) {
        this.touchActive = false;
        this.requestUpdate();
      }
    }

    private idleMs(): number {
      return this.tour?.settings.autorotate.idleMs ?? 8000;
    }

    private autorotateSpeed(): number {
      const settings = this.tour?.settings.autorotate;
      // Asked for with the button: the visitor's own choice, reduced motion or not.
      if (this.rotation !== null) return this.rotation ? (this.autorotate && Number.parseFloat(this.autorotate)) || settings?.speed || 3 : 0;
      if (matchMedia('(prefers-reduced-motion: reduce)').matches) return 0;
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
      if (event.pointerType !== 'touch' || this.touchActive) this.setPointerCapture(event.pointerId);
      this.pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      this.down = this.pointers.size === 1 ? { x: event.clientX, y: event.clientY } : null;
      this.velocity = { yaw: 0, pitch: 0 };
      this.lastMove = event.timeStamp;
      // The second finger down starts a pinch: the fov scales with the spread from here, the view follows the middle.
      this.pinch = this.pointers.size === 2 ? { distance: this.spread(), fov: this.view.fov, ...this.middle() } : null;
      this.renderRoot.querySelector('.stage')?.classList.add('drag');
      this.interacted();
    };

    private onPointerMove = (event: PointerEvent): void => {
      const last = this.pointers.get(event.pointerId);
      if (!last) return;
      const point = { x: event.clientX, y: event.clientY };
      this.pointers.set(event.pointerId, point);
      if (this.down && Math.hypot(point.x - this.down.x, point.y - this.down.y) > TAP_SLOP) this.down = null;
      if (event.pointerType === 'touch' && !this.touchActive && this.pointers.size < 2) {
        // One finger on a tour not activated: the page scrolls; say how to turn the view.
        if (!this.down) this.showHint();
        return;
      }
      this.interacted();
      if (this.pointers.size === 2) {
        const distance = this.spread();
        const middle = this.middle();
        this.pinch ??= { distance, fov: this.view.fov, ...middle };
        this.drag(this.pinch, middle);
        this.pinch = { ...this.pinch, ...middle };
        this.setView({ fov: clamp((this.pinch.fov * this.pinch.distance) / distance, this.fovMin(), FOV_MAX) });
        return;
      }
      this.drag(last, point);
      const dt = Math.max(1, event.timeStamp - this.lastMove);
      this.lastMove = event.timeStamp;
      this.velocity = { yaw: 0.8 * (this.dragged.yaw / dt) + 0.2 * this.velocity.yaw, pitch: 0.8 * (this.dragged.pitch / dt) + 0.2 * this.velocity.pitch };
    };

    private dragged = { yaw: 0, pitch: 0 };

    /** Grab the panorama: a drag across the width turns by one field of view. */
    private drag(from: { x: number; y: number }, to: { x: number; y: number }): void {
      const scale = this.view.fov / Math.max(1, this.cssWidth);
      const yaw = -(to.x - from.x) * scale;
      const pitch = (to.y - from.y) * scale;
      this.dragged = { yaw, pitch };
      this.setView({ yaw: this.view.yaw + yaw, pitch: this.view.pitch + pitch });
    }

    private middle(): { x: number; y: number } {
      const [p, q] = [...this.pointers.values()] as [{ x: number; y: number }, { x: number; y: number }];
      return { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 };
    }

    private showHint(): void {
      clearTimeout(this.hintTimer);
      this.hint = true;
      this.hintTimer = window.setTimeout(() => (this.hint = false), 2500);
    }

    /** A tap on the picture: closes an open card, and lets touch gestures turn the view from now on. */
    private tapped(event: PointerEvent): void {
      this.dismissPopover();
      if (event.pointerType === 'touch' && !this.touchActive) {
        this.touchActive = true;
        this.hint = false;
        this.requestUpdate();
      }
    }

    /** Distance between the first two pointers (CSS px, at least 1). */
    private spread(): number {
      const [p, q] = [...this.pointers.values()] as [{ x: number; y: number }, { x: number; y: number }];
      return Math.hypot(p.x - q.x, p.y - q.y) || 1;
    }

    private onPointerUp = (event: PointerEvent): void => {
      if (!this.pointers.delete(event.pointerId)) return;
      this.pinch = null;
      if (this.pointers.size) return;
      if (this.down && event.type === 'pointerup') this.tapped(event);
      this.down = null;
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
      if (this.stopGyro) {
        this.stopGyro();
        this.stopGyro = null;
        return (this.gyro = false);
      }
      // Loaded by the time its button shows: iOS asks for permission only within the click.
      const ui = uiModule() ?? (await loadUi());
      this.stopGyro = await ui.followDevice(() => this.view, (view) => this.setView(view));
      return (this.gyro = !!this.stopGyro);
    }

    toggleAutorotate(): void {
      const on = !this.autorotateSpeed();
      this.rotation = on;
      // Turning on starts now, not after the idle time.
      this.lastInteraction = on ? -Infinity : performance.now();
      this.invalidate();
    }

    /** The control bar and the touch hint (UI chunk), which see this element through `ControlsView`. */
    protected override renderControls(): TemplateResult | typeof nothing {
      return uiModule()?.controls(this as unknown as ControlsView) ?? nothing;
    }
  }
  return ControlsElement as unknown as Constructor<ControlsInterface> & T;
};
