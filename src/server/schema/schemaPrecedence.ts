import { DEFAULT_LABEL_TYPES, type LabelType } from '../../common/labelSchema';
import { parseLabelSchemaText, type LocatedSchemaProblem, type SchemaTextParse } from './labelSchemaText';
import { checkLabelTypes, hasErrors } from './labelTypeRules';

export const SCHEMA_TYPES_SETTING = 'finlabel.labelSchema.types';

/** Where the label types in use come from, in order of precedence. */
export type SchemaSource = { kind: 'file'; path: string } | { kind: 'setting' } | { kind: 'default' };

export interface SchemaInputs {
  /** The schema file's text (from disk, or from its editor while it is open), or why it could not be read; absent when there is none. */
  file?: { path: string; text: string } | { path: string; unreadable: string };
  /** The value of the setting finlabel.labelSchema.types; undefined, null or [] = not set. */
  settingTypes: unknown;
}

export interface SchemaResolution {
  /** The source that takes precedence, even when it has errors. */
  source: SchemaSource;
  /** Its types, or undefined when it has errors: keep the last good schema. */
  types?: LabelType[];
  /** Problems of the schema file, placed in its text (empty unless the source is the file). */
  fileProblems: LocatedSchemaProblem[];
  /** Problems of the setting, one line each (empty unless the source is the setting). */
  settingProblems: string[];
  /** The next valid source down: what to use when there is no last good schema yet. */
  fallback: { source: SchemaSource; types: LabelType[] };
}

/** Precedence: the workspace's schema file, else the setting, else the built-in defaults (the original blog post's three types). */
export function resolveLabelSchema(inputs: SchemaInputs): SchemaResolution {
  const defaults = { source: { kind: 'default' } as const, types: [...DEFAULT_LABEL_TYPES] };
  const setting = settingIsSet(inputs.settingTypes) ? checkLabelTypes(inputs.settingTypes, []) : undefined;
  const settingOk = setting !== undefined && !hasErrors(setting.problems);
  const belowFile = settingOk ? { source: { kind: 'setting' } as const, types: setting.types } : defaults;

  if (inputs.file) {
    const parsed: SchemaTextParse =
      'text' in inputs.file
        ? parseLabelSchemaText(inputs.file.text)
        : {
            ok: false,
            types: [],
            problems: [{ severity: 'error', message: inputs.file.unreadable, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }],
          };
    return {
      source: { kind: 'file', path: inputs.file.path },
      types: parsed.ok ? parsed.types : undefined,
      fileProblems: parsed.problems,
      settingProblems: [],
      fallback: belowFile,
    };
  }
  if (setting) {
    return {
      source: { kind: 'setting' },
      types: settingOk ? setting.types : undefined,
      fileProblems: [],
      settingProblems: setting.problems.map((p) => `${SCHEMA_TYPES_SETTING}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`),
      fallback: defaults,
    };
  }
  return { source: defaults.source, types: defaults.types, fileProblems: [], settingProblems: [], fallback: defaults };
}

/** How messages name a source: the file's path, the setting, or "the built-in defaults". */
export function describeSource(source: SchemaSource): string {
  if (source.kind === 'file') return source.path;
  return source.kind === 'setting' ? `the setting ${SCHEMA_TYPES_SETTING}` : 'the built-in defaults (借款金额, 担保方式, 还款期限)';
}

function settingIsSet(value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}
