/**
 * Form association for an element with `static formAssociated = true`: its value and
 * validity in `ElementInternals`, synced after every render, and the disabled state an
 * ancestor `<fieldset disabled>` imposes. The element keeps the lifecycle callbacks the
 * browser calls (`formResetCallback`, `formDisabledCallback`) and forwards them here.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What a form control must have for this controller. */
export interface FormControlHost extends ReactiveControllerHost, HTMLElement {
  /** The form field name; no form value without one. */
  name: string;
  disabled: boolean;
}

/** Where the element stands: the values it submits and whether it is valid. */
export interface FormState {
  /** One form entry per value under the host's `name`. */
  values: string[];
  /** A validity flag and its message, or undefined when valid. */
  invalid: { flag: 'valueMissing' | 'customError'; message: string } | undefined;
  /** The element the browser points at when it reports the error. */
  anchor: HTMLElement | undefined;
}

export class FormController implements ReactiveController {
  readonly internals: ElementInternals;
  /** Disabled by an ancestor `<fieldset disabled>`. */
  private fieldsetDisabled = false;

  constructor(private readonly host: FormControlHost, private readonly state: () => FormState) {
    this.internals = host.attachInternals();
    host.addController(this);
  }

  /** Disabled by its own attribute or by an ancestor fieldset. */
  get disabled(): boolean {
    return this.host.disabled || this.fieldsetDisabled;
  }

  /** Forwarded from the element's `formDisabledCallback`. */
  setFieldsetDisabled(disabled: boolean): void {
    this.fieldsetDisabled = disabled;
    this.host.requestUpdate();
  }

  hostUpdated(): void {
    const { values, invalid, anchor } = this.state();
    const name = this.host.name;
    if (name) {
      const data = new FormData();
      for (const v of values) data.append(name, v);
      this.internals.setFormValue(data);
    } else {
      this.internals.setFormValue(null);
    }
    if (invalid) this.internals.setValidity({ [invalid.flag]: true }, invalid.message, anchor);
    else this.internals.setValidity({});
  }
}
