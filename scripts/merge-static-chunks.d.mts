// Types of merge-static-chunks.mjs, which stays plain JavaScript: the CDK's afterBundling hook runs it with any `node`.
import type { Metafile } from "esbuild";

/** What lib/dispatcher-function.ts puts at the top of every bundle file. */
export declare const ESM_REQUIRE_BANNER: string;

/** Merges the static chunks of the split build in `outputDir` into its index.mjs; throws, naming the file, when the result would not link. */
export declare function mergeStaticChunks(
  outputDir: string,
  metafile: Pick<Metafile, "outputs">,
  options?: { sourcemap?: boolean },
): Promise<{ merged: string[]; rewritten: string[] }>;
