import type { LabelSchema } from '../../common/labelSchema';
import type { ConvertDatasetParams, ConvertDatasetResult } from '../../common/lspProtocol';
import { convertFile, ConvertFileError } from '../interchange/convertFile';

/** Answers finlabel/convertDataset: the same conversion as `finlabel export` / `finlabel import` (direction, format and options checked by its schema). */
export async function convertDataset(params: ConvertDatasetParams, schema: LabelSchema): Promise<ConvertDatasetResult> {
  try {
    const result = await convertFile({ ...params, schema });
    return { ok: true, ...result };
  } catch (err) {
    if (err instanceof ConvertFileError) return { ok: false, message: err.message };
    throw err;
  }
}
