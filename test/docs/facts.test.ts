/**
 * Facts the docs state that the code or the bench decides: the API guide's route table lists every
 * route the API serves, the architecture picture shows every function the construct deploys, and
 * the API bundle size quoted is the one in bench/results/latest.md.
 */
import { describe, expect, it } from "vitest";
import { openApiDocument } from "../../functions/api/openapi/document.ts";
import { docPages, readFromRoot } from "./markdown.ts";

const METHODS = ["get", "post", "put", "patch", "delete"];
const text = (path: string) => readFromRoot(path) ?? "";

/** `METHOD /path` of every route in the API document, which the router's route declarations generate. */
function servedRoutes(): string[] {
  const paths = (openApiDocument() as { paths: Record<string, Record<string, unknown>> }).paths;
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => METHODS.includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );
}

/** The routes in the first column of docs/api.md's route table, without their query strings. */
function documentedRoutes(): string[] {
  return [...text("docs/api.md").matchAll(/^\| `((?:GET|POST|PUT|PATCH|DELETE) \/[^`?]*)[^`]*` \|/gm)].map((m) => m[1] as string);
}

describe("the docs' facts", () => {
  it("list every route the API serves in docs/api.md's route table, and none it does not", () => {
    const served = servedRoutes();
    expect(served.length).toBeGreaterThan(20);
    expect([...new Set(documentedRoutes())].sort()).toEqual([...served].sort());
  });

  it("draw every function the construct deploys in the architecture picture", () => {
    const fields = [...text("lib/webhook-dispatcher.ts").matchAll(/public readonly (\w+)Function\b/g)].map((m) => m[1] as string);
    expect(fields).toContain("feed");
    const picture = /```mermaid\n([\s\S]*?)```/.exec(text("docs/architecture.md"))?.[1] ?? "";
    for (const field of fields) {
      const words = field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      expect(picture.toLowerCase(), field).toMatch(new RegExp(`\\[${words}[^\\]]*lambda`, "i"));
    }
  });

  it("quote the API bundle's size, where they do, as bench/results/latest.md measured it", () => {
    const measured = /\| 4\. functions\/api\/index\.ts bundle \| ([\d.]+) KB \|/.exec(text("bench/results/latest.md"))?.[1];
    expect(measured).toBeDefined();
    const allowed = [measured, String(Math.round(Number(measured)))];
    const quoted = docPages().flatMap((page) =>
      [...text(page).matchAll(/\bAPI(?: function| bundle|'s bundle)?[^.|\n]{0,30}?\b(\d{3}(?:\.\d)?) KB/g)].map((m) => `${page}: ${m[1]}`),
    );
    expect(quoted.length).toBeGreaterThan(0);
    for (const quote of quoted) expect(allowed, quote).toContain(quote.split(": ")[1]);
  });
});
