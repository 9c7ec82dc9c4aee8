/** Trains (or finds cached) the tiny and the BERT-base-shape entity models the inference benchmark uses. */
import { BERT_BASE_SHAPE_RECIPE, ensureTrainedModel, TINY_RECIPE } from '../test/support/tinyEntityModel';

async function main(): Promise<void> {
  const which = process.argv.slice(2);
  const recipes = [TINY_RECIPE, BERT_BASE_SHAPE_RECIPE].filter((r) => which.length === 0 || which.includes(r.name));
  for (const recipe of recipes) console.log(await ensureTrainedModel(recipe, (l) => console.log(l)));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
