import { join } from 'node:path';
import type { DatasetProblem } from '../../common/dataset';
import type { SplitPart, SplitSummary, SplitTypeShare, TypeName } from '../../common/datasetReports';
import type { LabelSchema } from '../../common/labelSchema';
import { ratiosProblem, splitNames } from '../../common/splitRatios';
import { parseDataset } from '../dataset/datasetFile';
import { Rng } from '../util/prng';
import { compareTypes, recordId, recordLabels } from './recordLabels';
import { sourceLines } from './sourceLines';

/** Records that must stay in the same split (they share an id), with their label counts by type. */
export interface RecordGroup {
  /** Indexes of the group's records in file order. */
  members: number[];
  labelsByType: Map<string, number>;
}

const EPSILON = 1e-9;

/** The candidates with the highest score (within rounding). */
function best(candidates: readonly number[], score: (s: number) => number): number[] {
  const top = Math.max(...candidates.map(score));
  return candidates.filter((s) => score(s) >= top - EPSILON);
}

/**
 * Iterative stratification (Sechidis, Tsoumakas & Vlahavas 2011) over label counts: the type with the
 * fewest labels still unassigned goes first; each group holding it goes to the split that still wants
 * the most labels of that type, then the most records, then one drawn by the seeded PRNG. Groups
 * without labels fill the splits' record quotas. Returns the split index of each group.
 */
export function assignGroups(groups: readonly RecordGroup[], ratios: readonly number[], seed: number): number[] {
  const rng = new Rng(seed);
  const splits = ratios.map((_, i) => i);
  const remaining = new Map<string, number>();
  for (const g of groups) for (const [type, n] of g.labelsByType) remaining.set(type, (remaining.get(type) ?? 0) + n);
  const types = [...remaining.keys()].sort();
  const wantLabels = new Map(types.map((t) => [t, ratios.map((r) => r * remaining.get(t)!)]));
  const totalRecords = groups.reduce((s, g) => s + g.members.length, 0);
  const wantRecords = ratios.map((r) => r * totalRecords);
  const assignment = new Array<number>(groups.length).fill(-1);
  const order = rng.shuffle(groups.map((_, i) => i));

  const assign = (g: number, split: number): void => {
    assignment[g] = split;
    wantRecords[split] -= groups[g].members.length;
    for (const [type, n] of groups[g].labelsByType) {
      wantLabels.get(type)![split] -= n;
      remaining.set(type, remaining.get(type)! - n);
    }
  };
  const pick = (candidates: number[]): number => (candidates.length === 1 ? candidates[0] : rng.pick(candidates));

  for (;;) {
    let rarest: string | undefined;
    for (const t of types) if (remaining.get(t)! > 0 && (rarest === undefined || remaining.get(t)! < remaining.get(rarest)!)) rarest = t;
    if (rarest === undefined) break;
    const want = wantLabels.get(rarest)!;
    for (const g of order) {
      if (assignment[g] !== -1 || !groups[g].labelsByType.has(rarest)) continue;
      assign(
        g,
        pick(
          best(
            best(splits, (s) => want[s]),
            (s) => wantRecords[s],
          ),
        ),
      );
    }
  }
  for (const g of order) if (assignment[g] === -1) assign(g, pick(best(splits, (s) => wantRecords[s])));
  return assignment;
}

export interface SplitOptions {
  /** Name of the input in messages (its path). */
  file: string;
  outDir: string;
  ratios: number[];
  seed: number;
  schema: LabelSchema;
}

/** What to write: each split's file content, made of the input's lines as they are. */
export interface SplitPlan {
  /** `sourceLines`: the input's 1-based line of each record of `content`, in order. */
  files: { path: string; content: string; sourceLines: number[] }[];
  summary: SplitSummary;
}

export type SplitResult = { ok: true; plan: SplitPlan } | { ok: false; message: string; problems: DatasetProblem[] };

/**
 * Plans a stratified split of a dataset JSONL (no I/O). Lines that are not records refuse the split:
 * they could go to no split without being lost, so the user fixes them first (`finlabel validate`).
 */
export function planSplit(content: string, options: SplitOptions): SplitResult {
  const ratioProblem = ratiosProblem(options.ratios);
  if (ratioProblem) return { ok: false, message: ratioProblem, problems: [] };
  const { records, problems, rejectedLines } = parseDataset(content, options.schema);
  if (rejectedLines.length > 0) {
    const rejected = new Set(rejectedLines);
    return {
      ok: false,
      message: `${options.file}: ${rejectedLines.length} line${rejectedLines.length === 1 ? ' is' : 's are'} not a record (line ${rejectedLines.slice(0, 10).join(', ')}${rejectedLines.length > 10 ? ', ...' : ''}); fix or remove ${rejectedLines.length === 1 ? 'it' : 'them'} and split again. Nothing was written.`,
      problems: problems.filter((p) => rejected.has(p.line)),
    };
  }

  const types = new Map<string, TypeName>();
  const groups: RecordGroup[] = [];
  const groupOfId = new Map<string, RecordGroup>();
  records.forEach(({ record }, index) => {
    const id = recordId(record);
    let group = id === undefined ? undefined : groupOfId.get(id);
    if (!group) {
      group = { members: [], labelsByType: new Map() };
      groups.push(group);
      if (id !== undefined) groupOfId.set(id, group);
    }
    group.members.push(index);
    for (const label of recordLabels(record, options.schema).labels) {
      types.set(label.type, { type: label.type, tag: label.tag });
      group.labelsByType.set(label.type, (group.labelsByType.get(label.type) ?? 0) + 1);
    }
  });
  const assignment = assignGroups(groups, options.ratios, options.seed);

  const names = splitNames(options.ratios.length);
  const splitOfRecord = new Array<number>(records.length);
  groups.forEach((g, i) => g.members.forEach((m) => (splitOfRecord[m] = assignment[i])));
  const source = sourceLines(content);
  const bodies = names.map(() => [source.bom]);
  const sourceLinesOf = names.map((): number[] => []);
  records.forEach(({ line }, i) => {
    const { text, ending } = source.lines[line - 1];
    bodies[splitOfRecord[i]].push(text, ending || source.newline);
    sourceLinesOf[splitOfRecord[i]].push(line);
  });

  const typeList = [...types.values()].sort(compareTypes(options.schema));
  const totals = new Map<string, number>();
  for (const g of groups) for (const [t, n] of g.labelsByType) totals.set(t, (totals.get(t) ?? 0) + n);
  const parts: SplitPart[] = names.map((name, s) => {
    const mine = groups.filter((_, i) => assignment[i] === s);
    const shares: SplitTypeShare[] = typeList.map((t) => {
      const labels = mine.reduce((n, g) => n + (g.labelsByType.get(t.type) ?? 0), 0);
      const total = totals.get(t.type) ?? 0;
      return { ...t, labels, share: total === 0 ? null : labels / total };
    });
    return {
      name,
      file: join(options.outDir, `${name}.jsonl`),
      ratio: options.ratios[s],
      records: mine.reduce((n, g) => n + g.members.length, 0),
      groups: mine.length,
      labels: shares.reduce((n, t) => n + t.labels, 0),
      types: shares,
    };
  });
  const blankLines = source.lines.length - records.length;
  return {
    ok: true,
    plan: {
      files: parts.map((p, s) => ({ path: p.file, content: bodies[s].join(''), sourceLines: sourceLinesOf[s] })),
      summary: {
        input: options.file,
        outDir: options.outDir,
        seed: options.seed,
        ratios: options.ratios,
        records: records.length,
        groups: groups.length,
        labels: parts.reduce((n, p) => n + p.labels, 0),
        blankLines,
        labelProblems: problems.length,
        parts,
      },
    },
  };
}
