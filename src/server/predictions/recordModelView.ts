import type { LabelSchema } from '../../common/labelSchema';
import type { RecordModelView, RecordView } from '../../common/lspProtocol';
import type { PredictedEntity } from '../entities/entityDecoding';
import { disagreements, type TypedSpan } from './disagreements';
import { colorOf } from './predictionPlacement';

/**
 * What the annotation view shows of the model beside a record's gold labels: the model's spans, each
 * marked as agreeing with a gold label (same span and type) or not, and the disagreements in words
 * (the same ones the editor's disagreement diagnostics give).
 */
export function recordModelView(
  view: RecordView,
  predicted: readonly PredictedEntity[],
  model: { name: string; colorOf: (tag: string) => string | undefined },
  schema: LabelSchema,
): RecordModelView {
  const text = Array.from(view.text ?? '');
  const gold: TypedSpan[] = view.spans.map((s) => ({ tag: s.tag, entity: s.entity, start: s.start, end: s.end, value: text.slice(s.start, s.end).join('') }));
  const spans = predicted.map((p) => {
    const type = schema.resolve(p.tag) ?? schema.resolve(p.entity);
    const tag = type?.tag ?? p.tag;
    return {
      start: p.start,
      end: p.end,
      entity: type?.name ?? p.entity,
      tag,
      color: colorOf(schema, p, model.colorOf(p.tag)),
      value: p.value,
      confidence: p.confidence ?? null,
      agrees: gold.some((g) => g.start === p.start && g.end === p.end && g.tag === tag),
    };
  });
  const found = disagreements(
    gold,
    spans.map((s) => ({ tag: s.tag, entity: s.entity, start: s.start, end: s.end, value: s.value })),
  );
  return { name: model.name, spans, disagreements: found.map((d) => d.message) };
}
