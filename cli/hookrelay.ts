#!/usr/bin/env node
// Runs on the project's pinned Node 24 (npx puts node_modules/.bin first on PATH), which strips the types itself.
import { importSvix } from "./import-svix/import.ts";
import { IMPORT_HELP, parseImportArgs } from "./import-svix/options.ts";
import { svixApi } from "./import-svix/svix-api.ts";
import { httpListenApi } from "./listen/api.ts";
import { ApiAnswerError, ListenError } from "./listen/errors.ts";
import { forwardOnce } from "./listen/forward.ts";
import { listen } from "./listen/listen.ts";
import { LISTEN_HELP, parseListenArgs } from "./listen/options.ts";

const USAGE = `Usage: hookrelay <command> [options]

Commands:
  listen        forward an endpoint's webhooks to a URL on this machine (hookrelay listen --help)
  import-svix   copy apps, endpoints and secrets from a Svix server (hookrelay import-svix --help)
`;

const [command, ...rest] = process.argv.slice(2);
if (command === undefined || command === "--help" || command === "-h" || command === "help") {
  process.stdout.write(USAGE);
  process.exit(command === undefined ? 2 : 0);
}
if (command !== "listen" && command !== "import-svix") fail(`hookrelay: unknown command ${command}\n${USAGE}`, 2);

// The only place the CLI reads the environment.
const { HOOKRELAY_API_URL, HOOKRELAY_API_KEY, HOOKRELAY_WS_URL, SVIX_SERVER_URL, SVIX_TOKEN } = process.env;
if (command === "import-svix") await runImport();
try {
  const options = parseListenArgs(rest, { HOOKRELAY_API_URL, HOOKRELAY_API_KEY, HOOKRELAY_WS_URL });
  if (options === "help") {
    process.stdout.write(LISTEN_HELP);
    process.exit(0);
  }
  const stop = new AbortController();
  const onSignal = () => {
    // A second Ctrl-C does not wait for the temporary endpoint to be deleted.
    if (stop.signal.aborted) process.exit(130);
    stop.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const deps = {
    api: httpListenApi(options.apiUrl, options.apiKey),
    forward: forwardOnce,
    print: (line: string) => process.stdout.write(`${line}\n`),
    now: () => new Date(),
    random: Math.random,
  };
  await listen(options, deps, stop.signal);
  process.exit(0);
} catch (error) {
  fail(`hookrelay listen: ${explain(error)}`, error instanceof ListenError ? error.exitCode : 1);
}

/** `hookrelay import-svix`: copies, prints a line per endpoint and a summary, exits 1 when any endpoint failed. */
async function runImport(): Promise<never> {
  try {
    const options = parseImportArgs(rest, { HOOKRELAY_API_URL, HOOKRELAY_API_KEY, SVIX_SERVER_URL, SVIX_TOKEN });
    if (options === "help") {
      process.stdout.write(IMPORT_HELP);
      process.exit(0);
    }
    const print = (line: string) => process.stdout.write(`${line}\n`);
    const report = await importSvix(svixApi(options.fromUrl, options.fromKey), svixApi(options.apiUrl, options.apiKey), print);
    print(`${report.apps} apps; ${report.copied} endpoints copied, ${report.kept} kept, ${report.failed.length} failed`);
    process.exit(report.failed.length > 0 ? 1 : 0);
  } catch (error) {
    fail(
      `hookrelay import-svix: ${error instanceof Error ? error.message : String(error)}`,
      error instanceof ListenError ? error.exitCode : 1,
    );
  }
}

/** One line a person can act on, never a stack trace. */
function explain(error: unknown): string {
  if (error instanceof ApiAnswerError) {
    if (error.status === 401) return `the API refused the key (401 ${error.code}); check --key or HOOKRELAY_API_KEY`;
    if (error.code === "not_a_polling_endpoint")
      return "that endpoint delivers by POST, not a feed; pass a polling endpoint or leave --endpoint out";
    if (error.code === "invalid_request" && error.problemWith("cursor") !== undefined)
      return `the saved cursor is not valid for this API (${error.message}); delete the state file to start over`;
  }
  if (error instanceof ListenError) return error.message;
  return `unexpected failure: ${error instanceof Error ? error.message : String(error)}`;
}

function fail(line: string, code: number): never {
  process.stderr.write(line.endsWith("\n") ? line : `${line}\n`);
  process.exit(code);
}
