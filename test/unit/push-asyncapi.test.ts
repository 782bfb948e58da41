import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import {
  CLOSE,
  closeReason,
  itemFrame,
  MAX_OUTBOUND_BYTES,
  parseClientFrame,
  RECONNECT_CODES,
  serverFrame,
} from "../../functions/core/push/protocol.ts";

/*
 * docs/websocket.asyncapi.json against the code: the frame types and close codes are read from
 * functions/core/push (the protocol's unions and CLOSE), never copied, and must be the document's,
 * both ways; frames the code writes validate against the document's schemas, and the document's
 * examples of client frames parse.
 */
const DOCS = fileURLToPath(new URL("../../docs/", import.meta.url));
const PROTOCOL = fileURLToPath(new URL("../../functions/core/push/protocol.ts", import.meta.url));
const doc = JSON.parse(readFileSync(`${DOCS}websocket.asyncapi.json`, "utf8"));
const openapi = JSON.parse(readFileSync(`${DOCS}openapi.json`, "utf8"));

/** The string literals of `field` in each member of the union type alias `name` of protocol.ts. */
function unionLiterals(name: string, field: string): string[] {
  const source = ts.createSourceFile(PROTOCOL, readFileSync(PROTOCOL, "utf8"), ts.ScriptTarget.Latest, true);
  const alias = source.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === name);
  if (!alias || !ts.isUnionTypeNode(alias.type)) throw new Error(`${name} is not a union in protocol.ts`);
  return alias.type.types.map((member) => {
    const property = ts.isTypeLiteralNode(member)
      ? member.members.find((m): m is ts.PropertySignature => ts.isPropertySignature(m) && m.name.getText() === field)
      : undefined;
    const literal = property?.type && ts.isLiteralTypeNode(property.type) ? property.type.literal : undefined;
    if (!literal || !ts.isStringLiteral(literal)) throw new Error(`a member of ${name} has no string literal ${field}`);
    return literal.text;
  });
}

/** A JSON reference inside this document or to docs/openapi.json, resolved (schemas only nest a few levels). */
function resolve(node: unknown, root: unknown = doc): unknown {
  if (Array.isArray(node)) return node.map((n) => resolve(n, root));
  if (typeof node !== "object" || node === null) return node;
  const ref = (node as { $ref?: unknown }).$ref;
  if (typeof ref === "string") {
    const [file, pointer = ""] = ref.split("#");
    const base = file === "" ? root : file === "openapi.json" ? openapi : undefined;
    if (base === undefined) throw new Error(`unresolvable $ref ${ref}`);
    const target = pointer
      .split("/")
      .slice(1)
      .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key.replaceAll("~1", "/").replaceAll("~0", "~")], base);
    if (target === undefined) throw new Error(`$ref ${ref} points at nothing`);
    return resolve(target, base);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v, root)]));
}

const clientActions = unionLiterals("ClientFrame", "action");
const serverTypes = unionLiterals("ServerFrame", "type");
const ajv = new Ajv2020({ strict: false, allErrors: true });
// ajv-formats is CommonJS: its function is the default export or that export's `default` (as test/support/contract.ts reads it).
(((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => Ajv2020)(ajv);
const payload = (message: string) => ajv.compile(resolve(doc.components.messages[message].payload) as object);

/** The messages the document's operations receive (client frames) or send (server frames). */
function operationMessages(action: "send" | "receive"): string[] {
  const operations = Object.values(doc.operations) as { action: string; channel: unknown; messages: unknown[] }[];
  return operations
    .filter((op) => op.action === action)
    .flatMap((op) => {
      // Every reference resolves: the operation's channel and its messages, which must be the channel's own.
      const channel = resolve(op.channel) as { messages: Record<string, unknown> };
      return op.messages.map((m) => {
        const message = resolve(m) as { name: string };
        expect(Object.values(channel.messages).map((c) => (resolve(c) as { name: string }).name)).toContain(message.name);
        return message.name;
      });
    });
}

describe("the AsyncAPI document of the WebSocket push", () => {
  it("is an AsyncAPI 3.0 document whose every reference resolves", () => {
    expect(doc.asyncapi).toMatch(/^3\.0\.\d+$/);
    expect(Object.keys(doc.channels).length).toBeGreaterThan(0);
    expect(() => resolve(doc)).not.toThrow();
    for (const server of Object.values(doc.servers) as { protocol: string }[]) expect(["ws", "wss"]).toContain(server.protocol);
  });

  it("names every frame the code reads and writes, and no other", () => {
    expect(clientActions.length).toBeGreaterThan(0);
    expect(serverTypes.length).toBeGreaterThan(0);
    expect(operationMessages("receive").sort()).toEqual([...clientActions].sort());
    expect(operationMessages("send").sort()).toEqual([...serverTypes].sort());
    expect(Object.keys(doc.components.messages).sort()).toEqual([...clientActions, ...serverTypes].sort());
    for (const action of clientActions)
      expect(resolve(doc.components.messages[action].payload)).toMatchObject({ properties: { action: { const: action } } });
    for (const type of serverTypes)
      expect(resolve(doc.components.messages[type].payload)).toMatchObject({ properties: { type: { const: type } } });
  });

  it("names every close code of the code, which of them a client reconnects on, and no other", () => {
    const table = doc["x-close-codes"] as { code: number; reconnect: boolean }[];
    const codes = [...new Set([...Object.values(CLOSE), ...RECONNECT_CODES])];
    expect(table.map((c) => c.code).sort()).toEqual(codes.sort());
    expect(
      table
        .filter((c) => c.reconnect)
        .map((c) => c.code)
        .sort(),
    ).toEqual([...RECONNECT_CODES].sort());
    // The close frame carries the protocol's own codes (1001 and 1006 are the transport's, never in a frame).
    expect([...doc.components.messages.close.payload.properties.code.enum].sort()).toEqual(Object.values(CLOSE).sort());
  });

  it("has examples of client frames that the server parses, and of server frames that their schema accepts", () => {
    for (const action of clientActions) {
      for (const example of doc.components.messages[action].examples) {
        expect(parseClientFrame(JSON.stringify(example.payload)).action).toBe(action);
        expect(payload(action)(example.payload)).toBe(true);
      }
    }
    for (const type of serverTypes) {
      for (const example of doc.components.messages[type].examples) expect(payload(type)(example.payload), type).toBe(true);
    }
  });

  it("describes the frames the server writes: items of any size, refs, pongs and closes", () => {
    const item = fc.record({
      id: fc.string({ minLength: 1, maxLength: 30 }),
      eventId: fc.string({ minLength: 1 }),
      messageId: fc.string({ minLength: 1 }),
      eventType: fc.stringMatching(/^[A-Za-z0-9_.\-:]{1,40}$/),
      timestamp: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
      payload: fc.jsonValue(),
      body: fc.oneof(fc.string(), fc.constant("x".repeat(MAX_OUTBOUND_BYTES))),
      headers: fc.record({ "webhook-id": fc.string(), "webhook-timestamp": fc.string(), "webhook-signature": fc.string() }),
    });
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 512 }), item, (cursor, feedItem) => {
        const frame = JSON.parse(itemFrame(cursor, feedItem));
        expect(payload(frame.type)(frame), JSON.stringify(payload(frame.type).errors)).toBe(true);
      }),
      { numRuns: 50 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...Object.values(CLOSE)), fc.string({ maxLength: 200 }), (code, reason) => {
        expect(payload("close")(JSON.parse(serverFrame({ type: "close", code, reason: closeReason(reason) })))).toBe(true);
      }),
    );
    expect(payload("pong")(JSON.parse(serverFrame({ type: "pong" })))).toBe(true);
  });
});
