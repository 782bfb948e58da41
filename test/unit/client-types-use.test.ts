import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The console and the CLI read the API's shapes from the generated client (clients/typescript, made
 * from docs/openapi.json), so a change to the document is a type error there instead of a silent
 * drift. These tests find hand-written copies: a declared object type that repeats a schema's fields.
 */

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CONSUMERS = ["console/src", "cli"];

type Doc = { components: { schemas: Record<string, { properties?: Record<string, unknown> }> }; paths: Record<string, unknown> };
const doc = JSON.parse(readFileSync(join(ROOT, "docs/openapi.json"), "utf8")) as Doc;

/** Every object shape the document declares by its fields: the named schemas and the inline answers (list pages). */
function documentShapes(): { name: string; fields: string[] }[] {
  const shapes = Object.entries(doc.components.schemas).map(([name, s]) => ({ name, fields: Object.keys(s.properties ?? {}) }));
  const inline = (node: unknown, where: string): void => {
    if (typeof node !== "object" || node === null) return;
    const record = node as Record<string, unknown>;
    if (record.type === "object" && typeof record.properties === "object" && record.properties !== null) {
      shapes.push({ name: where, fields: Object.keys(record.properties) });
    }
    for (const [key, value] of Object.entries(record)) inline(value, `${where}/${key}`);
  };
  inline(doc.paths, "paths");
  return shapes.filter((s) => s.fields.length >= 2);
}

/** The field names of each interface and object type literal in a TypeScript source. */
function declaredShapes(file: string, text: string): { where: string; fields: string[] }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: { where: string; fields: string[] }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isInterfaceDeclaration(node) || ts.isTypeLiteralNode(node)) {
      const fields = node.members.flatMap((m) => (m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) ? [m.name.text] : []));
      const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      found.push({ where: `${file}:${line}`, fields });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The copies among `declared`: a shape with at least 3 of a document shape's fields (all of them when it has 2). */
function copies(declared: { where: string; fields: string[] }[], shapes: { name: string; fields: string[] }[]) {
  return declared.flatMap((d) =>
    shapes
      .filter((s) => s.fields.filter((f) => d.fields.includes(f)).length >= Math.min(3, s.fields.length))
      .map((s) => `${d.where} repeats ${s.name}`),
  );
}

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(dir, f));
}

describe("the console's and the CLI's API types", () => {
  const shapes = documentShapes();

  it("declare no copy of a shape of the API document", () => {
    const files = CONSUMERS.flatMap(sources);
    expect(files.length).toBeGreaterThan(10);
    const declared = files.flatMap((f) => declaredShapes(f, readFileSync(join(ROOT, f), "utf8")));
    expect(copies(declared, shapes)).toEqual([]);
  });

  it("would see any copy: an interface or inline type with enough of a schema's fields, in any order, among others", () => {
    const schema = fc.constantFrom(...shapes);
    const copy = schema.chain((s) =>
      fc.record({
        shape: fc.constant(s),
        fields: fc.shuffledSubarray(s.fields, { minLength: Math.min(3, s.fields.length) }),
        others: fc.uniqueArray(fc.stringMatching(/^zz[a-z]{1,8}$/), { maxLength: 3 }),
        inline: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(copy, ({ shape, fields, others, inline }) => {
        const body = [...fields, ...others].map((f) => `  ${JSON.stringify(f)}?: unknown;`).join("\n");
        const text = inline ? `let x: {\n${body}\n} = {};` : `export interface Copy {\n${body}\n}`;
        expect(copies(declaredShapes("copy.ts", text), [shape])).toHaveLength(1);
      }),
    );
  });

  it("come into the console as types only, so the bundle carries none of the client", () => {
    const fromClient = sources("console/src").flatMap((f) => {
      const source = ts.createSourceFile(f, readFileSync(join(ROOT, f), "utf8"), ts.ScriptTarget.Latest, true);
      return source.statements
        .filter((s): s is ts.ImportDeclaration | ts.ExportDeclaration => ts.isImportDeclaration(s) || ts.isExportDeclaration(s))
        .filter((s) => s.moduleSpecifier !== undefined && /\/clients\//.test((s.moduleSpecifier as ts.StringLiteral).text))
        .map((s) => ({ f, typeOnly: ts.isImportDeclaration(s) ? (s.importClause?.isTypeOnly ?? false) : s.isTypeOnly }));
    });
    expect(fromClient.length).toBeGreaterThan(0);
    expect(fromClient.filter((i) => !i.typeOnly)).toEqual([]);
  });
});
