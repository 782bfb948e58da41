import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import openapiTS, { astToString } from "openapi-typescript";
import { openApiDocument } from "../functions/api/openapi/document.ts";
import { ROUTE_INDEX_FILE, routeIndexText } from "./route-index.ts";

/*
 * `npm run openapi`: writes the API document the code generates to docs/openapi.json and to the
 * gzipped copy the API serves, renders it
 * into the self-contained reference page docs/api.html (scripts inlined: it loads nothing from the
 * network), regenerates the typed client's types (clients/typescript) and the route index the API's
 * handler reads at cold start (scripts/route-index.ts). Tests fail while any of them is stale.
 */

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The copy GET /v1/openapi.json serves: the document minified, gzipped, in base64. */
export const SERVED_DOCUMENT = "functions/api/openapi/served-document.ts";

/** The served copy's module text. */
export function servedDocumentText(): string {
  const packed = gzipSync(JSON.stringify(openApiDocument()), { level: 9 }).toString("base64");
  return [
    "// Generated from the API document by `npm run openapi`: do not edit.",
    "",
    "/** docs/openapi.json minified, gzipped and in base64: what GET /v1/openapi.json serves. */",
    `export const DOCUMENT_GZIP_BASE64 =\n  "${packed}";`,
    "",
  ].join("\n");
}

/** The typed client's types, generated from the document by openapi-typescript. */
export const CLIENT_TYPES = "clients/typescript/src/schema.ts";

/** The committed document's exact text: what `openApiDocument()` gives, two-space indented. */
export function documentText(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}

/** The typed client's types: what openapi-typescript makes of the document. */
export async function clientTypesText(): Promise<string> {
  const ast = await openapiTS(openApiDocument() as unknown as Parameters<typeof openapiTS>[0]);
  return `// Generated from docs/openapi.json by openapi-typescript (npm run openapi): do not edit.\n\n${astToString(ast)}`;
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${result.status}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(`${ROOT}docs/openapi.json`, documentText());
  writeFileSync(`${ROOT}${SERVED_DOCUMENT}`, servedDocumentText());
  writeFileSync(`${ROOT}${CLIENT_TYPES}`, await clientTypesText());
  writeFileSync(`${ROOT}${ROUTE_INDEX_FILE}`, await routeIndexText());
  run("npx", ["redocly", "build-docs", "docs/openapi.json", "--inlineBundle", "--title", "hookrelay API", "-o", "docs/api.html"]);
}
