import { ENTITY_NAMINGS, INTERCHANGE_FORMATS, OFFSET_UNITS } from '../../common/interchange';
import type { LabelSchema } from '../../common/labelSchema';
import type { ConvertDatasetParams, ConvertDatasetResult } from '../../common/lspProtocol';
import { convertFile, ConvertFileError } from '../interchange/convertFile';

/** Answers finlabel/convertDataset: the same conversion as `finlabel export` / `finlabel import`. */
export async function convertDataset(params: ConvertDatasetParams, schema: LabelSchema): Promise<ConvertDatasetResult> {
  const invalid =
    params.direction !== 'export' && params.direction !== 'import' ? `unknown direction "${String(params.direction)}"`
    : !INTERCHANGE_FORMATS.includes(params.format) ? `unknown format "${String(params.format)}" (expected ${INTERCHANGE_FORMATS.join(', ')})`
    : params.entity !== undefined && !ENTITY_NAMINGS.includes(params.entity) ? `unknown entity naming "${String(params.entity)}"`
    : params.offsets !== undefined && !OFFSET_UNITS.includes(params.offsets) ? `unknown offset unit "${String(params.offsets)}"`
    : undefined;
  if (invalid) return { ok: false, message: invalid };
  try {
    const result = await convertFile({ ...params, schema });
    return { ok: true, ...result };
  } catch (err) {
    if (err instanceof ConvertFileError) return { ok: false, message: err.message };
    throw err;
  }
}
