import type { DatasetProblem } from '../../common/dataset';
import type { LabelSchema } from '../../common/labelSchema';
import { parseDataset } from './datasetFile';

/** Validates a whole JSONL document; problems in line order, lines counted from 1 (parseDataset's). */
export function validateJsonl(content: string, schema: LabelSchema): DatasetProblem[] {
  return parseDataset(content, schema).problems;
}
