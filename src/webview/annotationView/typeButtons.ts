/**
 * Buttons for label types: the legend under the toolbar (the types, their colours and keys) and the
 * "change type" row of the span menu. Clicking one never takes the focus or the selection away
 * from the text (mousedown is cancelled), so select-then-click works like select-then-key.
 */
import type { LabelTypeView } from '../../common/lspProtocol';

export function typeButton(type: LabelTypeView, className: string, onChoose: (type: LabelTypeView) => void): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = className;
  button.style.setProperty('--span-color', type.color);
  button.dataset.entity = type.name;
  const key = document.createElement('kbd');
  key.className = 'type-key';
  key.textContent = type.key ?? '·';
  const name = document.createElement('span');
  name.className = 'type-name';
  name.textContent = type.name;
  button.append(key, name);
  button.title = `${type.name} (${type.tag})${type.key ? ` — key ${type.key}` : ''}\n${type.description}`;
  button.addEventListener('mousedown', (e) => e.preventDefault());
  button.addEventListener('click', () => onChoose(type));
  return button;
}

/** Draws the legend: one button per type, in schema order. */
export function drawLegend(container: HTMLElement, types: readonly LabelTypeView[], onChoose: (type: LabelTypeView) => void): void {
  container.replaceChildren(...types.map((t) => typeButton(t, 'type-chip', onChoose)));
}
