/**
 * Runs and checks the docs' snippets: shell through bash with the variables the docs tell the
 * reader to set, TypeScript through Node (type stripping) and the TypeScript compiler. The docs
 * name the local stack at 127.0.0.1:3000 and the receiver at 127.0.0.1:4000; a test's stack and
 * receiver listen on free ports, so those two addresses are swapped for theirs before a run.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { ROOT, type Snippet } from "./markdown.ts";

/** Where the docs' import specifiers lead in this repository (the reader's clone is `./hookrelay`). */
const SPECIFIERS: [RegExp, string][] = [
  [/(["'])@hookrelay\/client\1/g, `"${join(ROOT, "clients/typescript/src/index.ts")}"`],
  [/(["'])\.\/hookrelay\/([^"']+)\1/g, `"${ROOT}/$2"`],
  [/(["'])hookrelay\1/g, `"${join(ROOT, "lib/index.ts")}"`],
  // Svix's SDK as a reader installs it today (2.x); the repository holds it under the alias svix-2.
  [/(["'])svix\1/g, `"${join(ROOT, "node_modules/svix-2/dist/index.mjs")}"`],
];

/** The snippet's code with its imports pointed at this repository's files. */
export function localImports(code: string): string {
  return SPECIFIERS.reduce((text, [pattern, to]) => text.replace(pattern, to), code);
}

export interface Place {
  apiUrl: string;
  /** host:port of the test's receiver. */
  receiver: string;
}

/** The snippet as it runs against the test's stack and receiver. */
export function placed(code: string, place: Place): string {
  return code.replaceAll("http://127.0.0.1:3000", place.apiUrl).replaceAll("127.0.0.1:4000", place.receiver);
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, args, { env: { ...process.env, ...env }, cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A folder whose .curlrc makes curl fail on an HTTP error (4xx, 5xx), so that a snippet's `curl -s` cannot pass one silently. */
export function curlHome(): string {
  const dir = mkdtempSync(join(tmpdir(), "hookrelay-docs-curl-"));
  writeFileSync(join(dir, ".curlrc"), "fail-with-body\n");
  return dir;
}

/** The environment the docs tell a reader to set: API and KEY, and the client's HOOKRELAY_API_URL and HOOKRELAY_API_KEY. */
export function readerEnv(place: Place, curlrc: string): Record<string, string> {
  return {
    API: place.apiUrl,
    KEY: "local-admin-key",
    HOOKRELAY_API_URL: place.apiUrl,
    HOOKRELAY_API_KEY: "local-admin-key",
    CURL_HOME: curlrc,
  };
}

/** Runs a shell snippet with bash (`-eu -o pipefail`: a failed command or an unset variable fails it). */
export function runShell(code: string, env: Record<string, string>): Promise<RunResult> {
  return run("bash", ["-eu", "-o", "pipefail", "-c", code], env);
}

/** Checks a shell snippet parses (`bash -n`). */
export function parseShell(code: string): Promise<RunResult> {
  return run("bash", ["-n", "-c", code], {});
}

/** Runs a TypeScript snippet as a module on this Node, its imports pointed at the repository. */
export async function runTypeScript(code: string, env: Record<string, string>): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), "hookrelay-docs-ts-"));
  writeFileSync(join(dir, "snippet.ts"), localImports(code));
  try {
    return await run(process.execPath, [join(dir, "snippet.ts")], env);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Type-checks TypeScript snippets with the project's compiler options (noEmit), each as a module of
 * its own, and gives each snippet's diagnostics as text (empty when it compiles).
 */
export function typeCheck(items: Snippet[]): Map<Snippet, string[]> {
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(join(ROOT, "tsconfig.json"), ts.sys.readFile).config, ts.sys, ROOT);
  const files = new Map(items.map((s, i) => [join(ROOT, "test", "docs", `__snippet_${i}.ts`), s] as const));
  const host = ts.createCompilerHost({ ...config.options, noEmit: true });
  const read = host.readFile.bind(host);
  const exists = host.fileExists.bind(host);
  const source = host.getSourceFile.bind(host);
  host.fileExists = (name) => files.has(name) || exists(name);
  host.readFile = (name) => {
    const snippet = files.get(name);
    return snippet ? localImports(snippet.code) : read(name);
  };
  host.getSourceFile = (name, language, onError, fresh) => {
    const snippet = files.get(name);
    return snippet ? ts.createSourceFile(name, localImports(snippet.code), language, true) : source(name, language, onError, fresh);
  };
  const program = ts.createProgram({ rootNames: [...files.keys()], options: { ...config.options, noEmit: true }, host });
  const out = new Map<Snippet, string[]>();
  for (const [name, snippet] of files) {
    const file = program.getSourceFile(name);
    const diagnostics = file ? [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)] : [];
    out.set(
      snippet,
      diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")),
    );
  }
  return out;
}
