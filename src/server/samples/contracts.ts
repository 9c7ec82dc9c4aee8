/** Renders the contract outlines into plain documents (text or Markdown), varying with the seed. */
import { canRender, drawDeal, renderTemplate, type Deal } from './clauses';
import { CONTRACT_OUTLINES, type ContractOutline, type OutlineSection } from './contractOutlines';
import type { Rng } from '../util/prng';

export interface GeneratedDocument {
  path: string;
  description: string;
  content: string;
}

function fill(rng: Rng, templates: readonly string[], deal: Deal): string[] {
  return templates.filter((t) => canRender(t, deal)).map((t) => renderTemplate(rng, t, deal).text);
}

function renderSection(rng: Rng, section: OutlineSection, deal: Deal): string {
  return `${section.heading}\n${fill(rng, section.body, deal).join(section.join)}`;
}

export function renderContract(rng: Rng, outline: ContractOutline): GeneratedDocument {
  const deal = drawDeal(rng, outline.deal);
  const blocks = [
    fill(rng, outline.header, deal).join('\n'),
    ...outline.sections.map((s) => renderSection(rng, s, deal)),
    fill(rng, outline.footer, deal).join('\n'),
  ];
  // blank line between blocks (a Markdown paragraph break), "\n" at the end
  return { path: outline.path, description: outline.description, content: blocks.join('\n\n') + '\n' };
}

export function generateContracts(rng: Rng): GeneratedDocument[] {
  return CONTRACT_OUTLINES.map((o) => renderContract(rng, o));
}
