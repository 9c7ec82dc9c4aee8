import type { LabelSchema } from '../../common/labelSchema';
import type { EntityNaming, Reporter } from './types';

/**
 * Writes entity types the way the user asked (display name, tag, or as written) and remembers the
 * types the schema does not know, to report each of them once with a count rather than per label.
 */
export class EntityNamer {
  private readonly unknown = new Map<string, { count: number; line: number; id: unknown }>();

  constructor(
    private readonly schema: LabelSchema,
    private readonly naming: EntityNaming,
  ) {}

  name(entity: string, line: number, id: unknown): string {
    if (this.naming === 'as-is') return entity;
    const type = this.schema.resolve(entity);
    if (type) return this.naming === 'tag' ? type.tag : type.name;
    const seen = this.unknown.get(entity);
    if (seen) seen.count++;
    else this.unknown.set(entity, { count: 1, line, id });
    return entity;
  }

  /** The schema's tag of ENTITY (a name or a tag), or undefined for a type the schema does not know. */
  tag(entity: string): string | undefined {
    return this.schema.resolve(entity)?.tag;
  }

  /** One `unknown-entity` report per type the schema does not know (only when names were resolved). */
  reportUnknown(reporter: Reporter): void {
    const known = this.schema.types.map((t) => `${t.name}/${t.tag}`).join(', ');
    for (const [entity, { count, line, id }] of this.unknown) {
      reporter.add(
        line,
        id,
        'unknown-entity',
        `entity type ${JSON.stringify(entity)} is not in the label schema (${known}); ${count} label${count === 1 ? '' : 's'} written with it as is (first on this line)`,
      );
    }
  }
}
