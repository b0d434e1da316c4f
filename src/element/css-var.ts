/**
 * A Lit element directive that sets one CSS custom property through the CSSOM
 * (`el.style.setProperty`), which a strict Content-Security-Policy allows, unlike a `style`
 * attribute: `<div ${cssVar('--fraction', '0.5')}></div>`.
 */
import { nothing } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';

class CssVarDirective extends Directive {
  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('cssVar() goes in an element position');
  }

  render(_name: string, _value: string) {
    return nothing;
  }

  override update(part: ElementPart, [name, value]: [string, string]) {
    (part.element as HTMLElement).style.setProperty(name, value);
    return nothing;
  }
}

export const cssVar = directive(CssVarDirective);
