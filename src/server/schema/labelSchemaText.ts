import { findNodeAtLocation, getNodeValue, parseTree, ParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { LabelType } from '../../common/labelSchema';
import type { Range } from '../../common/lspProtocol';
import { TOO_DEEP, tooDeepAt } from '../dataset/jsonDepth';
import { checkLabelTypes, hasErrors, type SchemaPath, type SchemaProblem, type SchemaSeverity } from './labelTypeRules';

/** A problem of a schema file, placed in its text (zero-based line, UTF-16 character: LSP positions). */
export interface LocatedSchemaProblem {
  severity: SchemaSeverity;
  message: string;
  range: Range;
}

export interface SchemaTextParse {
  /** False when an error makes the file unusable; `types` is then empty. */
  ok: boolean;
  types: LabelType[];
  problems: LocatedSchemaProblem[];
}

const TOP_LEVEL_PROPERTIES = ['labels', '$schema'];

const PARSE_ERRORS: Partial<Record<ParseErrorCode, string>> = {
  [ParseErrorCode.InvalidSymbol]: 'invalid character',
  [ParseErrorCode.InvalidNumberFormat]: 'invalid number',
  [ParseErrorCode.PropertyNameExpected]: 'expected a property name in double quotes',
  [ParseErrorCode.ValueExpected]: 'expected a value',
  [ParseErrorCode.ColonExpected]: 'expected ":"',
  [ParseErrorCode.CommaExpected]: 'expected ","',
  [ParseErrorCode.CloseBraceExpected]: 'expected "}"',
  [ParseErrorCode.CloseBracketExpected]: 'expected "]"',
  [ParseErrorCode.EndOfFileExpected]: 'unexpected text after the end of the JSON value',
  [ParseErrorCode.InvalidCommentToken]: 'comments are not allowed in JSON',
  [ParseErrorCode.UnexpectedEndOfComment]: 'unterminated comment',
  [ParseErrorCode.UnexpectedEndOfString]: 'unterminated string',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'unterminated number',
  [ParseErrorCode.InvalidUnicode]: 'invalid \\u escape',
  [ParseErrorCode.InvalidEscapeCharacter]: 'invalid escape character',
  [ParseErrorCode.InvalidCharacter]: 'invalid character in a string (control characters must be escaped)',
};

/**
 * Parses the text of a label schema file, `{"labels": [{"name","tag","color","key","description"}]}`,
 * strictly as JSON (no comments or trailing commas, like the file's .json name says), and places
 * every problem at the characters it concerns.
 */
export function parseLabelSchemaText(text: string): SchemaTextParse {
  const document = TextDocument.create('file:///labels.json', 'json', 0, text);
  // A byte order mark is not JSON, but editors write one; offsets below are shifted past it.
  const shift = text.startsWith('\uFEFF') ? 1 : 0;
  const body = text.slice(shift);
  const rangeOf = (offset: number, length: number): Range => ({
    start: document.positionAt(offset + shift),
    end: document.positionAt(offset + shift + length),
  });
  const failed = (problems: LocatedSchemaProblem[]): SchemaTextParse => ({ ok: false, types: [], problems });

  if (body.trim() === '') {
    return failed([
      {
        severity: 'error',
        message: 'the schema file is empty; it should hold {"labels": [{"name": "借款金额", "tag": "LOAN_AMOUNT"}, ...]}',
        range: rangeOf(0, 0),
      },
    ]);
  }
  // The parse tree below recurses once per level.
  const deep = tooDeepAt(body);
  if (deep !== undefined) return failed([{ severity: 'error', message: `the schema file is ${TOO_DEEP}`, range: rangeOf(deep, 1) }]);
  const errors: ParseError[] = [];
  const root = parseTree(body, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0 || !root) {
    return failed(
      errors.map((e) => ({ severity: 'error', message: `invalid JSON: ${PARSE_ERRORS[e.error] ?? 'syntax error'}`, range: rangeOf(e.offset, e.length) })),
    );
  }

  const problems: LocatedSchemaProblem[] = duplicateProperties(root).map((key) => ({
    severity: 'warning',
    message: `property "${key.value as string}" appears more than once; the last one is used`,
    range: rangeOf(key.offset, key.length),
  }));
  const place = (p: SchemaProblem): LocatedSchemaProblem => ({
    severity: p.severity,
    message: p.message,
    range: rangeOfPath(root, p.path, p.atKey === true, rangeOf),
  });

  if (root.type !== 'object') {
    problems.push({ severity: 'error', message: 'the schema file must hold a JSON object like {"labels": [...]}', range: rangeOf(root.offset, root.length) });
    return failed(problems);
  }
  for (const property of root.children ?? []) {
    const key = property.children?.[0];
    if (key && !TOP_LEVEL_PROPERTIES.includes(key.value as string)) {
      problems.push({
        severity: 'warning',
        message: `unknown property "${key.value as string}" is ignored (the file has "labels")`,
        range: rangeOf(key.offset, key.length),
      });
    }
  }
  const labels = findNodeAtLocation(root, ['labels']);
  if (!labels) {
    problems.push({ severity: 'error', message: 'the schema file has no "labels" array', range: rangeOf(root.offset, 1) });
    return failed(problems);
  }
  const checked = checkLabelTypes(getNodeValue(labels), ['labels']);
  problems.push(...checked.problems.map(place));
  problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return hasErrors(checked.problems) ? failed(problems) : { ok: true, types: checked.types, problems };
}

/** "file:3:15: error: message" — line and column counted from 1, as editors and compilers print them. */
export function formatSchemaProblem(file: string, problem: LocatedSchemaProblem): string {
  const { line, character } = problem.range.start;
  return `${file}:${line + 1}:${character + 1}: ${problem.severity}: ${problem.message}`;
}

/** The node a path points at; for a property that is absent, the closest enclosing value. */
function rangeOfPath(root: Node, path: SchemaPath, atKey: boolean, rangeOf: (offset: number, length: number) => Range): Range {
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(root, [...path.slice(0, n)]);
    if (!node) continue;
    const key = atKey && n === path.length && node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
    const target = key ?? node;
    // An object or array spanning lines is marked at its opening bracket only.
    const length = target.type === 'object' || target.type === 'array' ? 1 : target.length;
    return rangeOf(target.offset, length);
  }
  return rangeOf(0, 0);
}

/** Keys that occur twice in one object (the earlier occurrences), anywhere in the tree. */
function duplicateProperties(node: Node): Node[] {
  const found: Node[] = [];
  if (node.type === 'object') {
    const last = new Map<string, Node>();
    for (const property of node.children ?? []) {
      const key = property.children?.[0];
      if (!key) continue;
      const earlier = last.get(key.value as string);
      if (earlier) found.push(earlier);
      last.set(key.value as string, key);
    }
  }
  for (const child of node.children ?? []) found.push(...duplicateProperties(child));
  return found;
}

/** The text of a schema file holding `types`, every field written out (what "Edit Label Schema" creates). */
export function labelSchemaFileText(types: readonly LabelType[]): string {
  const labels = types.map((t) => ({ name: t.name, tag: t.tag, color: t.color, ...(t.key !== undefined ? { key: t.key } : {}), description: t.description }));
  return `${JSON.stringify({ labels }, null, 2)}\n`;
}
