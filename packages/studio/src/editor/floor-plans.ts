import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { styleMap } from 'lit/directives/style-map.js';
import { ApiError } from '../api/client.js';
import { createFloorPlan, deleteFloorPlan, listFloorPlans, placeScene } from '../api/tour-extras.js';
import type { FloorPlan, FloorPlanPosition, Scene } from '../api/types.js';
import { Autosave, saveStatus, saveStatusStyles } from '../ui/autosave.js';
import { confirmAction } from '../ui/confirm-dialog.js';
import { field } from '../ui/field.js';
import { shared } from '../ui/styles.js';
import type { ImageReadyEvent } from './image-upload.js';
import './image-upload.js';

/** A scene as the server answered after a change; the editor takes it as the truth. */
export class SceneUpdatedEvent extends Event {
  constructor(readonly scene: Scene) {
    super('scene-updated', { bubbles: true, composed: true });
  }
}

/** Where a scene is and which way it faces, as edited here and not yet confirmed by the server. */
interface Placement {
  floorPlan: FloorPlanPosition | null;
  northOffset: number;
}

/** An arrow key moves a marker this far across the plan (0..1); with Shift, five times as far. */
const STEP = 0.01;
const ARROWS: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

const clamp = (value: number) => Math.min(1, Math.max(0, value));
/** Into [-180, 180), as the API stores angles (normalizeYaw in @vr-tour/protocol; not imported, to keep zod out of the studio). */
const wrapDegrees = (degrees: number) => ((((degrees + 180) % 360) + 360) % 360) - 180;
/**
 * The plan's top counts as north (a floor plan has no north of its own in
 * the API). A scene's northOffset is the yaw where north is, so the middle of
 * its panorama faces -northOffset degrees clockwise from the plan's top.
 */
const facingOf = (northOffset: number) => wrapDegrees(-northOffset);
const percent = (value: number) => `${Math.round(value * 100)}%`;

/**
 * Floor plans: upload the plan's image, then put each scene where it was
 * taken — by clicking on the plan, or by keyboard (pick the scene, put it in
 * the middle, move its marker with the arrow keys) — and turn it so its
 * panorama faces the right way on the plan. Saved as it is edited.
 */
@customElement('floor-plans-panel')
export class FloorPlansPanel extends LitElement {
  static override styles = [
    shared,
    saveStatusStyles,
    css`
      .plan-head {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 0.5rem 1rem;
        margin-bottom: 0.5rem;
      }
      h3 {
        font-size: 1rem;
        margin: 0;
        overflow-wrap: anywhere;
      }
      .plan {
        position: relative;
        margin: 0.75rem 0;
        border: 1px solid var(--line);
        border-radius: 8px;
        overflow: hidden;
        background: #fff;
        cursor: crosshair;
        touch-action: manipulation;
      }
      .plan img {
        display: block;
        width: 100%;
        height: auto;
      }
      .marker {
        position: absolute;
        transform: translate(-50%, -50%);
        width: 44px;
        height: 44px;
        min-height: 0;
        padding: 0;
        border-radius: 50%;
        border: 3px solid #fff;
        color: #fff;
        background: var(--accent);
        box-shadow: 0 1px 4px rgb(0 0 0 / 0.5);
        font-size: 0.9rem;
      }
      .marker[aria-pressed='true'] {
        background: #b45309;
        outline: 3px solid #111827;
      }
      .marker .arrow {
        position: absolute;
        inset: -14px;
        pointer-events: none;
      }
      .marker .arrow::before {
        content: '';
        position: absolute;
        left: 50%;
        top: 0;
        transform: translateX(-50%);
        border: 7px solid transparent;
        border-bottom: 10px solid #111827;
        border-top: 0;
      }
      #plan-help {
        margin-bottom: 0.75rem;
      }
      fieldset {
        border: none;
        padding: 0;
        margin: 0 0 0.75rem;
      }
      legend {
        margin-bottom: 0.35rem;
      }
      .scenes {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem 1.25rem;
      }
      .scene {
        display: flex;
        align-items: center;
        gap: 0.4rem;
        min-height: 44px;
      }
      .scene input {
        width: 1.2rem;
        height: 1.2rem;
        accent-color: var(--accent);
      }
      .scene .hint {
        font-size: 0.85rem;
      }
      .picked {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-end;
        gap: 0.5rem 0.75rem;
      }
      .picked .field {
        flex: 1 1 14rem;
        margin: 0;
      }
      .add {
        border-top: 1px solid var(--line);
        margin-top: 1rem;
        padding-top: 1rem;
      }
      .add h3 {
        margin-bottom: 0.75rem;
      }
    `,
  ];

  @property() tourId = '';
  @property({ attribute: false }) scenes: Scene[] = [];

  @state() private plans: FloorPlan[] | null = null;
  @state() private planId = '';
  @state() private picked = '';
  @state() private newTitle = 'Ground floor';
  @state() private directionText = '';
  @state() private problem = '';
  @state() private note = '';
  /** Placements edited here, until the server has them. */
  private drafts = new Map<string, Placement>();
  private dirty = new Set<string>();
  readonly autosave = new Autosave(this, () => this.save(), 500);

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('tourId')) void this.load();
    if (!this.scenes.some((scene) => scene.id === this.picked)) this.pick(this.scenes[0]?.id ?? '');
  }

  override render() {
    if (this.plans === null) return this.problem ? html`<div class="alert" role="alert">${this.problem}</div>` : html`<p role="status">Loading the floor plans…</p>`;
    const plan = this.plans.find((candidate) => candidate.id === this.planId);
    return html`
      ${this.problem ? html`<div class="alert" role="alert">${this.problem}</div>` : nothing}
      ${this.plans.length > 1
        ? html`<div class="field">
            <label for="plan-choice">Floor plan</label>
            <select id="plan-choice" .value=${live(this.planId)} @change=${(event: Event) => (this.planId = (event.target as HTMLSelectElement).value)}>
              ${this.plans.map((candidate) => html`<option value=${candidate.id}>${candidate.title}</option>`)}
            </select>
          </div>`
        : nothing}
      ${plan ? this.renderPlan(plan) : html`<p class="hint">No floor plan yet. Add the plan’s image, then put each scene on it.</p>`}
      <p class="visually-hidden" role="status">${this.note}</p>
      ${this.renderAdd()}
    `;
  }

  private renderPlan(plan: FloorPlan) {
    const picked = this.scenes.find((scene) => scene.id === this.picked);
    const placement = picked && this.placementOf(picked);
    const onThisPlan = placement?.floorPlan?.floorPlanId === plan.id;
    return html`<div class="plan-head">
        <h3>${plan.title}</h3>
        <button aria-label="Delete the floor plan ${plan.title}" @click=${() => this.deletePlan(plan)}>Delete</button>
      </div>
      <p class="hint" id="plan-help">
        Pick a scene, then click on the plan where its panorama was taken. By keyboard: pick a scene, put it in the middle, then move its
        marker with the arrow keys (Shift moves further). The plan’s top counts as north.
      </p>
      ${this.scenes.length
        ? html`<fieldset>
            <legend>Scene to place</legend>
            <div class="scenes">${this.scenes.map((scene) => this.renderSceneChoice(scene, plan))}</div>
          </fieldset>`
        : html`<p class="hint">Add panoramas first: each scene then gets its place on the plan.</p>`}
      <div class="plan" @click=${(event: MouseEvent) => this.clickedPlan(event, plan)}>
        <img src=${plan.imageUrl} width=${plan.width} height=${plan.height} alt="Floor plan: ${plan.title}" draggable="false" />
        ${this.scenes.map((scene, index) => this.renderMarker(scene, index, plan))}
      </div>
      ${picked && placement
        ? html`<div class="picked">
            ${onThisPlan
              ? html`<button @click=${() => this.place(picked, null)}>Take ${picked.title} off the plan</button>
                  ${field({
                    id: 'direction',
                    label: `Where the middle of ${picked.title} faces`,
                    hint: 'Degrees clockwise from the plan’s top: 0 up, 90 right, 180 down, 270 left.',
                    value: this.directionText,
                    maxlength: 6,
                    onInput: (text) => this.turned(picked, text),
                    onChange: () => void this.autosave.flush(),
                  })}`
              : html`<button @click=${() => this.place(picked, { floorPlanId: plan.id, x: 0.5, y: 0.5 }, true)}>Put ${picked.title} in the middle</button>`}
          </div>`
        : nothing}
      ${saveStatus(this.autosave)}`;
  }

  private renderSceneChoice(scene: Scene, plan: FloorPlan) {
    const where = this.placementOf(scene).floorPlan;
    const elsewhere = where && this.plans?.find((candidate) => candidate.id === where.floorPlanId);
    const text = !where ? 'not placed' : where.floorPlanId === plan.id ? 'on this plan' : `on ${elsewhere?.title ?? 'another plan'}`;
    return html`<div class="scene">
      <input type="radio" name="scene" id="pick-${scene.id}" .checked=${live(this.picked === scene.id)} aria-describedby="where-${scene.id}" @change=${() => this.pick(scene.id)} />
      <label for="pick-${scene.id}">${scene.title}</label>
      <span class="hint" id="where-${scene.id}">(${text})</span>
    </div>`;
  }

  private renderMarker(scene: Scene, index: number, plan: FloorPlan) {
    const { floorPlan, northOffset } = this.placementOf(scene);
    if (floorPlan?.floorPlanId !== plan.id) return nothing;
    return html`<button
      class="marker"
      data-scene=${scene.id}
      style=${styleMap({ left: percent(floorPlan.x), top: percent(floorPlan.y) })}
      aria-pressed=${this.picked === scene.id ? 'true' : 'false'}
      aria-label="${scene.title}, ${percent(floorPlan.x)} across, ${percent(floorPlan.y)} down"
      aria-describedby="plan-help"
      @click=${(event: MouseEvent) => {
        event.stopPropagation();
        this.pick(scene.id);
      }}
      @keydown=${(event: KeyboardEvent) => this.moveByKey(event, scene)}
    >
      <span aria-hidden="true">${index + 1}</span>
      <span class="arrow" style=${styleMap({ transform: `rotate(${facingOf(northOffset)}deg)` })}></span>
    </button>`;
  }

  private renderAdd() {
    return html`<div class="add">
      <h3>Add a floor plan</h3>
      ${field({ id: 'plan-title', label: 'Name of the new floor plan', value: this.newTitle, maxlength: 200, onInput: (value) => (this.newTitle = value) })}
      <image-upload label="Choose the floor plan image" kind="floor_plan" @image-ready=${this.planImageReady}></image-upload>
    </div>`;
  }

  private placementOf(scene: Scene): Placement {
    return this.drafts.get(scene.id) ?? { floorPlan: scene.floorPlan, northOffset: scene.northOffset };
  }

  private pick(sceneId: string): void {
    this.picked = sceneId;
    const scene = this.scenes.find((candidate) => candidate.id === sceneId);
    this.directionText = scene ? String(Math.round(((facingOf(this.placementOf(scene).northOffset) % 360) + 360) % 360)) : '';
  }

  private edit(scene: Scene, placement: Placement): void {
    this.drafts.set(scene.id, placement);
    this.dirty.add(scene.id);
    this.autosave.changed();
  }

  private async place(scene: Scene, position: FloorPlanPosition | null, focus = false): Promise<void> {
    this.edit(scene, { ...this.placementOf(scene), floorPlan: position });
    this.note = position ? `${scene.title} placed, ${percent(position.x)} across, ${percent(position.y)} down.` : `${scene.title} taken off the plan.`;
    void this.autosave.flush();
    if (!focus) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`.marker[data-scene="${scene.id}"]`)?.focus();
  }

  private clickedPlan(event: MouseEvent, plan: FloorPlan): void {
    const scene = this.scenes.find((candidate) => candidate.id === this.picked);
    if (!scene) return;
    const image = this.renderRoot.querySelector('.plan img')!.getBoundingClientRect();
    void this.place(scene, { floorPlanId: plan.id, x: clamp((event.clientX - image.left) / image.width), y: clamp((event.clientY - image.top) / image.height) });
  }

  private moveByKey(event: KeyboardEvent, scene: Scene): void {
    const arrow = ARROWS[event.key];
    const position = this.placementOf(scene).floorPlan;
    if (!arrow || !position) return;
    event.preventDefault();
    this.pick(scene.id);
    const step = event.shiftKey ? STEP * 5 : STEP;
    const moved = { ...position, x: clamp(position.x + arrow[0] * step), y: clamp(position.y + arrow[1] * step) };
    this.edit(scene, { ...this.placementOf(scene), floorPlan: moved });
  }

  private turned(scene: Scene, text: string): void {
    this.directionText = text;
    const degrees = Number(text);
    if (text.trim() === '' || !Number.isFinite(degrees)) return;
    this.edit(scene, { ...this.placementOf(scene), northOffset: wrapDegrees(-degrees) });
  }

  /** Sends each edited scene's placement; what fails stays edited, to be sent again. */
  private async save(): Promise<void> {
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const [index, id] of ids.entries()) {
      const sent = this.drafts.get(id)!;
      try {
        const scene = await placeScene(id, sent);
        if (this.drafts.get(id) === sent) this.drafts.delete(id);
        this.dispatchEvent(new SceneUpdatedEvent(scene));
      } catch (error) {
        for (const unsent of ids.slice(index)) this.dirty.add(unsent);
        throw error;
      }
    }
  }

  private async load(): Promise<void> {
    this.plans = null;
    this.problem = '';
    try {
      this.plans = await listFloorPlans(this.tourId);
      this.planId = this.plans[0]?.id ?? '';
      // The first plan is most often the ground floor; a further one is named by the creator.
      if (this.plans.length) this.newTitle = '';
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.problem = `The floor plans could not be loaded: ${error.message}`;
    }
  }

  private async planImageReady(event: ImageReadyEvent): Promise<void> {
    this.problem = '';
    try {
      const plan = await createFloorPlan(this.tourId, this.newTitle.trim() || 'Floor plan', event.media.id);
      this.plans = [...(this.plans ?? []), plan];
      this.planId = plan.id;
      this.newTitle = '';
      this.note = `Floor plan “${plan.title}” added.`;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.problem = `The floor plan was not added: ${error.message}`;
    }
  }

  private async deletePlan(plan: FloorPlan): Promise<void> {
    const confirmed = await confirmAction({
      title: `Delete the floor plan “${plan.title}”?`,
      body: 'The scenes on it stay in the tour, without a place on a plan. This cannot be undone.',
      confirm: 'Delete floor plan',
    });
    if (!confirmed) return;
    try {
      await deleteFloorPlan(plan.id);
      this.plans = (this.plans ?? []).filter((candidate) => candidate.id !== plan.id);
      this.planId = this.plans[0]?.id ?? '';
      for (const [id, draft] of this.drafts) if (draft.floorPlan?.floorPlanId === plan.id) this.drafts.delete(id);
      this.note = `Floor plan “${plan.title}” deleted.`;
      // The server took the scenes off it: the editor reads them again.
      this.dispatchEvent(new Event('scenes-changed', { bubbles: true, composed: true }));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.problem = `The floor plan was not deleted: ${error.message}`;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'floor-plans-panel': FloorPlansPanel;
  }
}
