import type { LabelType } from '../../common/labelSchema';

/** Where a problem is, as a JSON path from the value that was checked (e.g. ['labels', 1, 'tag']). */
export type SchemaPath = readonly (string | number)[];

/** An error makes the whole schema unusable; a warning is reported and the schema is still used. */
export type SchemaSeverity = 'error' | 'warning';

export interface SchemaProblem {
  severity: SchemaSeverity;
  path: SchemaPath;
  /** Point at the property's name rather than its value (unknown or duplicate properties). */
  atKey?: boolean;
  message: string;
}

export interface LabelTypesCheck {
  /** The types with defaults filled in; meaningful only when `problems` holds no error. */
  types: LabelType[];
  problems: SchemaProblem[];
}

/** Tags name BIO classes (B-LOAN_AMOUNT): upper-case identifiers, no '-'. */
const TAG = /^[A-Z][A-Z0-9_]*$/;
const HEX_COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
const KNOWN_PROPERTIES = ['name', 'tag', 'color', 'key', 'description'];

/** Colours given to types that name none: the defaults' three first, then distinct hues. */
export const LABEL_PALETTE: readonly string[] = [
  '#e8a33d',
  '#3d9be8',
  '#4cbf6b',
  '#d3589e',
  '#8e6ad8',
  '#e05d5d',
  '#2bb3a8',
  '#b59a2a',
  '#5d7be0',
  '#c2703d',
  '#6f9e3a',
  '#a05fc2',
];

export function hasErrors(problems: readonly SchemaProblem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/**
 * Checks an array of label type entries (the file's "labels" or the setting's value) and fills in
 * the defaults: a palette colour not used by another type, and the next free key 1-9.
 * `base` is the path of the array itself, so problems point into the original document.
 */
export function checkLabelTypes(entries: unknown, base: SchemaPath): LabelTypesCheck {
  const problems: SchemaProblem[] = [];
  if (!Array.isArray(entries)) {
    problems.push({ severity: 'error', path: base, message: `the label types must be an array of {"name","tag",...} objects, not ${describe(entries)}` });
    return { types: [], problems };
  }
  if (entries.length === 0) {
    problems.push({ severity: 'error', path: base, message: 'the schema defines no label types; add at least one {"name","tag"} entry' });
    return { types: [], problems };
  }

  const drafts: Draft[] = [];
  entries.forEach((entry, index) => {
    const draft = checkEntry(entry, index, [...base, index], problems);
    if (draft) drafts.push(draft);
  });
  checkUnique(drafts, base, problems);
  return { types: withDefaults(drafts), problems };
}

interface Draft {
  index: number;
  name: string;
  tag: string;
  color?: string;
  key?: string;
  description: string;
}

function checkEntry(entry: unknown, index: number, path: SchemaPath, problems: SchemaProblem[]): Draft | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    problems.push({
      severity: 'error',
      path,
      message: `${entryName(index)} must be an object like {"name": "借款金额", "tag": "LOAN_AMOUNT"}, not ${describe(entry)}`,
    });
    return undefined;
  }
  const e = entry as Record<string, unknown>;
  const rawName = typeof e.name === 'string' && e.name.trim() !== '' ? e.name : undefined;
  const who = entryName(index, rawName);
  let ok = true;
  const error = (property: string | undefined, message: string): void => {
    problems.push({ severity: 'error', path: property === undefined ? path : [...path, property], message: `${who}: ${message}` });
    ok = false;
  };

  if (e.name === undefined) error(undefined, 'has no "name" (the display name files use, e.g. 借款金额)');
  else if (typeof e.name !== 'string' || e.name.trim() === '') error('name', `"name" must be a non-empty string, not ${describe(e.name)}`);
  else if (e.name !== e.name.trim()) error('name', `"name" ${JSON.stringify(e.name)} starts or ends with spaces`);

  if (e.tag === undefined) error(undefined, 'has no "tag" (an upper-case identifier, e.g. LOAN_AMOUNT)');
  else if (typeof e.tag !== 'string' || !TAG.test(e.tag)) {
    const suggestion = typeof e.tag === 'string' ? suggestTag(e.tag) : undefined;
    const got = typeof e.tag === 'string' ? JSON.stringify(e.tag) : describe(e.tag);
    error(
      'tag',
      `"tag" must be an upper-case identifier (A-Z, 0-9 and _, starting with a letter), not ${got}${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
    );
  }

  let color: string | undefined;
  if (e.color !== undefined) {
    if (typeof e.color === 'string' && HEX_COLOR.test(e.color)) color = expandColor(e.color);
    else error('color', `"color" must be a hex colour like "#e8a33d", not ${JSON.stringify(e.color)}`);
  }

  let key: string | undefined;
  if (e.key !== undefined) {
    if (typeof e.key === 'string' && (KEYS as readonly string[]).includes(e.key)) key = e.key;
    else error('key', `"key" must be one of "1" to "9" (a string; Alt+key labels a selection), not ${JSON.stringify(e.key)}`);
  }

  if (e.description !== undefined && typeof e.description !== 'string') error('description', `"description" must be a string, not ${describe(e.description)}`);

  for (const property of Object.keys(e)) {
    if (!KNOWN_PROPERTIES.includes(property)) {
      problems.push({
        severity: 'warning',
        path: [...path, property],
        atKey: true,
        message: `${who}: unknown property "${property}" is ignored (a type has ${KNOWN_PROPERTIES.join(', ')})`,
      });
    }
  }
  if (!ok) return undefined;
  return { index, name: e.name as string, tag: e.tag as string, color, key, description: (e.description as string | undefined) ?? '' };
}

/** Names, tags and keys must each identify one type; a name may not be another type's tag either (files use both). */
function checkUnique(drafts: readonly Draft[], base: SchemaPath, problems: SchemaProblem[]): void {
  const identifiers = new Map<string, Draft>();
  const keys = new Map<string, Draft>();
  for (const d of drafts) {
    for (const [property, value] of [
      ['name', d.name],
      ['tag', d.tag],
    ] as const) {
      const owner = identifiers.get(value);
      if (owner && owner !== d) {
        const what = owner.name === value ? 'name' : 'tag';
        problems.push({
          severity: 'error',
          path: [...base, d.index, property],
          message: `${entryName(d.index, d.name)}: ${property} "${value}" is already the ${what} of ${entryName(owner.index, owner.name)}`,
        });
      } else identifiers.set(value, d);
    }
    if (d.key !== undefined) {
      const owner = keys.get(d.key);
      if (owner)
        problems.push({
          severity: 'error',
          path: [...base, d.index, 'key'],
          message: `${entryName(d.index, d.name)}: key "${d.key}" is already the key of ${entryName(owner.index, owner.name)}`,
        });
      else keys.set(d.key, d);
    }
  }
}

function withDefaults(drafts: readonly Draft[]): LabelType[] {
  const usedColors = new Set(drafts.flatMap((d) => (d.color ? [d.color] : [])));
  const usedKeys = new Set(drafts.flatMap((d) => (d.key ? [d.key] : [])));
  let paletteIndex = 0;
  return drafts.map((d) => {
    let color = d.color;
    if (color === undefined) {
      const free = LABEL_PALETTE.find((c) => !usedColors.has(c));
      // More types than palette colours: reuse them in turn.
      color = free ?? LABEL_PALETTE[paletteIndex++ % LABEL_PALETTE.length];
      usedColors.add(color);
    }
    let key = d.key;
    if (key === undefined) {
      key = KEYS.find((k) => !usedKeys.has(k));
      if (key !== undefined) usedKeys.add(key);
    }
    return { name: d.name, tag: d.tag, color, description: d.description, ...(key !== undefined ? { key } : {}) };
  });
}

/** "#E8A" -> "#ee88aa": decorations append an alpha byte, which needs the six-digit form. */
function expandColor(color: string): string {
  const c = color.toLowerCase();
  return c.length === 4 ? `#${c[1]}${c[1]}${c[2]}${c[2]}${c[3]}${c[3]}` : c;
}

function suggestTag(tag: string): string | undefined {
  const s = tag
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9_]+/g, '_');
  return s !== tag && TAG.test(s) ? s : undefined;
}

function entryName(index: number, name?: string): string {
  return `label type ${index + 1}${name ? ` (${name})` : ''}`;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return `${typeof v === 'object' ? 'an' : 'a'} ${typeof v}`;
}
