import type { NextUncertainCreditRowResult, UncertainCreditRow } from '../../common/lspProtocol';
import type { CreditFileRows, CreditRow } from './creditRows';

/**
 * The credit model's uncertainty over the rows still to label: rows whose label cell is empty (a label
 * that is there but not 0/1 is a problem to fix, not a row to label), ranked by |P(违约) - threshold|,
 * closest first, ties in file order. Returns the row after the one on 0-based `fromLine` in that order
 * (the closest when `fromLine` is not such a row), among the rows scored so far.
 */
export function nextUncertainCreditRow(
  file: CreditFileRows,
  labelColumn: string,
  probability: (row: CreditRow) => number | undefined,
  threshold: number,
  fromLine: number | undefined,
): NextUncertainCreditRowResult {
  const badLabel = new Set(file.problems.filter((p) => p.column === labelColumn).map((p) => p.line));
  const unlabelled = file.rows.filter((r) => r.label === null && !badLabel.has(r.line));
  const ranked = unlabelled
    .flatMap((row) => {
      const p = probability(row);
      return p === undefined ? [] : [{ row, p, distance: Math.abs(p - threshold) }];
    })
    .sort((a, b) => a.distance - b.distance || a.row.line - b.row.line);
  const at = fromLine === undefined ? -1 : ranked.findIndex((r) => r.row.line - 1 <= fromLine && fromLine <= r.row.endLine - 1);
  const next = ranked[at + 1];
  const row: UncertainCreditRow | null = next ? { line: next.row.line - 1, endLine: next.row.endLine - 1, probability: next.p, rank: at + 2 } : null;
  return { ok: true, row, threshold, unlabelled: unlabelled.length, scored: ranked.length };
}
