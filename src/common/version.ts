/** Set by scripts/build.mjs from package.json's "version" (esbuild's define), in every bundle that reads it. */
declare const FINLABEL_VERSION: string;

/** FinLabel's version: package.json's, the one place it is written. */
export const VERSION: string = FINLABEL_VERSION;
