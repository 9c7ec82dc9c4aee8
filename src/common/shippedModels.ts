/**
 * Where the models that ship with FinLabel lie, relative to the extension's root (the repository's root
 * in a checkout). '/'-separated, so `path.join`, `vscode.Uri.joinPath` and `asAbsolutePath` all take it.
 */
export const SHIPPED_MODELS_FOLDER = 'models';
/** The folder name of the shipped default entity model, as pickers and the model tree show it. */
export const SHIPPED_ENTITY_MODEL_NAME = 'default-entities';
/** The shipped default entity model's folder. */
export const SHIPPED_ENTITY_MODEL = `${SHIPPED_MODELS_FOLDER}/${SHIPPED_ENTITY_MODEL_NAME}`;
