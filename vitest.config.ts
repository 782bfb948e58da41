import { readdirSync } from "node:fs";
import { join } from "node:path";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

const TESTS = join(import.meta.dirname, "test");

/**
 * The folders of test/ that hold tests, one vitest project each: `npm test` runs them all, and
 * `npm run test:<folder>` (package.json) one kind alone. A new folder gets its project here by
 * itself; test/unit/test-projects.test.ts asks for its npm script.
 */
export const TEST_FOLDERS = readdirSync(TESTS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .filter((folder) => readdirSync(join(TESTS, folder), { recursive: true }).some((file) => String(file).endsWith(".test.ts")))
  .sort();

/** What one kind of test sets apart from the rest. */
const KIND: Record<string, TestProjectInlineConfiguration["test"]> = {
  // Unit tests run on fakes and restore what they stub (afterEach), so the files of a worker share
  // their modules: each module is imported once per worker instead of once per file, which halves
  // `npm run test:unit` (about 20 s instead of 40 s on two busy cores). Their order does not matter
  // (checked with --sequence.shuffle).
  unit: { isolate: false },
  // Infra files share the stacks they synthesize (test/infra/synthesized.ts) and aws-cdk-lib, which
  // takes seconds to import, within a worker: none of them changes a stack another one reads.
  infra: { isolate: false },
};

export default defineConfig({
  test: {
    // Integration tests start the local stack as a child process; CDK tests bundle with esbuild.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    maxWorkers: 2,
    projects: TEST_FOLDERS.map((folder) => ({
      extends: true,
      test: { name: folder, include: [`test/${folder}/**/*.test.ts`], ...KIND[folder] },
    })),
  },
});
