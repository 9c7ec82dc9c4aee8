import type { RecordModelView } from '../../common/lspProtocol';

/**
 * Under "Disagrees with the model": the model's spans of the record beside its gold labels, in their
 * own style (outlined chips in the type's colour; a struck-through marker on those no gold label has),
 * and each disagreement in words. Hidden under every other filter.
 */
export class ModelSpansPanel {
  readonly element = document.createElement('section');
  private readonly heading = document.createElement('h2');
  private readonly chips = document.createElement('div');
  private readonly list = document.createElement('ul');

  constructor() {
    this.element.className = 'model-spans';
    this.heading.className = 'model-spans-heading';
    this.chips.className = 'model-span-chips';
    this.list.className = 'model-disagreements';
    this.element.append(this.heading, this.chips, this.list);
    this.element.hidden = true;
  }

  show(model: RecordModelView | undefined): void {
    this.element.hidden = model === undefined;
    if (!model) return;
    const differing = model.spans.filter((s) => !s.agrees).length;
    this.heading.textContent = `${model.name} predicts ${plural(model.spans.length, 'span')}${model.spans.length > 0 ? ` (${differing} not in the labels)` : ''}; ${plural(model.disagreements.length, 'difference')}`;
    this.chips.replaceChildren(
      ...model.spans.map((s) => {
        const chip = document.createElement('span');
        chip.className = `model-span ${s.agrees ? 'agrees' : 'differs'}`;
        chip.style.setProperty('--span-color', s.color);
        chip.textContent = `${s.entity} ${s.value}`;
        chip.title = `${s.agrees ? 'also a gold label' : 'not a gold label'} · [${s.start}, ${s.end})${s.confidence === null ? '' : ` · confidence ${(s.confidence * 100).toFixed(1)}%`}`;
        return chip;
      }),
    );
    this.list.replaceChildren(
      ...model.disagreements.map((d) => {
        const item = document.createElement('li');
        item.textContent = d;
        return item;
      }),
    );
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
