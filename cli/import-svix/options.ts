import { parseArgs } from "node:util";
import { UsageError } from "../listen/errors.ts";

/** What `hookrelay import-svix` was asked to do. */
export interface ImportOptions {
  fromUrl: string;
  fromKey: string;
  apiUrl: string;
  apiKey: string;
}

/** The environment variables import-svix reads. */
export interface ImportEnv {
  SVIX_SERVER_URL?: string;
  SVIX_TOKEN?: string;
  HOOKRELAY_API_URL?: string;
  HOOKRELAY_API_KEY?: string;
}

export const IMPORT_HELP = `Usage: hookrelay import-svix [options]

Copies every application and its endpoints, with their secrets, headers, filters and metadata,
from a Svix server to this hookrelay deployment's Svix-compatible API (/api/v1). Apps and
endpoints keep their uid (or take their Svix id as uid). Running it again copies only what is
missing. Prints one line per endpoint; exits 1 when any endpoint could not be copied.

Options:
  --from <url>   the Svix server, e.g. https://api.eu.svix.com (default: $SVIX_SERVER_URL; required,
                 so that a key is never sent to a server you did not name)
  --from-key <token>  the Svix API token (default: $SVIX_TOKEN)
  --api <url>    the hookrelay API (default: $HOOKRELAY_API_URL)
  --key <key>    the hookrelay admin key (default: $HOOKRELAY_API_KEY)
  -h, --help     this text
`;

/** The options, checked; "help" when asked for. */
export function parseImportArgs(args: string[], env: ImportEnv): ImportOptions | "help" {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        from: { type: "string" },
        "from-key": { type: "string" },
        api: { type: "string" },
        key: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${IMPORT_HELP}`);
  }
  if (values.help) return "help";
  const need = (value: unknown, what: string): string => {
    if (typeof value !== "string" || value === "") throw new UsageError(`${what} is required\n\n${IMPORT_HELP}`);
    return value;
  };
  const options = {
    fromUrl: need(values.from ?? env.SVIX_SERVER_URL, "--from (or SVIX_SERVER_URL)"),
    fromKey: need(values["from-key"] ?? env.SVIX_TOKEN, "--from-key (or SVIX_TOKEN)"),
    apiUrl: need(values.api ?? env.HOOKRELAY_API_URL, "--api (or HOOKRELAY_API_URL)"),
    apiKey: need(values.key ?? env.HOOKRELAY_API_KEY, "--key (or HOOKRELAY_API_KEY)"),
  };
  for (const [flag, url] of [
    ["--from", options.fromUrl],
    ["--api", options.apiUrl],
  ] as const) {
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new UsageError(`${flag} must be an http(s) URL`);
  }
  return options;
}
