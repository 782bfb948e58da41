import fc from "fast-check";
import type * as v from "valibot";
import { describe, expect, it } from "vitest";
import { checked } from "../../functions/core/requests/field-problems.ts";
import { KEYS_RECORD_DROPS } from "../../functions/core/requests/keyed-record.ts";
import { CreateEndpoint, RESERVED_HEADER_NAMES } from "../../functions/core/requests/validation.ts";
import { ApplicationIn, EndpointHeadersIn, EndpointIn, MessageIn } from "../../functions/core/svix/svix-inputs.ts";
import { CreateTenant } from "../../functions/core/tenants/tenants.ts";

/*
 * valibot's record skips keys named __proto__, prototype and constructor without an issue. Every
 * record a tenant fills (headers, metadata) must refuse such a name in plain words rather than accept
 * the request and drop the entry; a Svix message's payload keeps every key it was sent with.
 */

const dropped = fc.constantFrom(...KEYS_RECORD_DROPS);
// Not a header name an endpoint may not set ("te", "host", "webhook-…"): the header cases would refuse it.
const ordinary = fc
  .stringMatching(/^[a-z][a-z0-9-]{0,20}$/)
  .filter((k) => !KEYS_RECORD_DROPS.has(k) && !RESERVED_HEADER_NAMES.includes(k) && !/^(webhook|svix)-/.test(k));
/** As the API receives it: parsed from JSON text, so `__proto__` is an own key like any other. */
const wire = (text: string): unknown => JSON.parse(text);
const objectText = (entries: [string, string][]) =>
  `{${entries.map(([k, val]) => `${JSON.stringify(k)}:${JSON.stringify(val)}`).join(",")}}`;

const CASES: { name: string; schema: v.GenericSchema; body: (record: string) => string; field: string }[] = [
  {
    name: "endpoint headers (/v1)",
    schema: CreateEndpoint,
    body: (r) => `{"url":"https://example.com/","headers":${r}}`,
    field: "headers",
  },
  { name: "tenant metadata (/v1)", schema: CreateTenant, body: (r) => `{"id":"acme","metadata":${r}}`, field: "metadata" },
  { name: "application metadata (Svix)", schema: ApplicationIn, body: (r) => `{"name":"a","metadata":${r}}`, field: "metadata" },
  { name: "endpoint headers (Svix)", schema: EndpointIn, body: (r) => `{"url":"https://example.com/","headers":${r}}`, field: "headers" },
  { name: "endpoint header update (Svix)", schema: EndpointHeadersIn, body: (r) => `{"headers":${r}}`, field: "headers" },
];

describe("records a tenant fills", () => {
  for (const c of CASES) {
    it(`${c.name}: a key valibot would drop is refused by name, other keys are all kept`, () => {
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.tuple(ordinary, fc.string({ maxLength: 8 })), { selector: ([k]) => k, maxLength: 5 }),
          dropped,
          fc.nat(5),
          (entries, bad, at) => {
            const kept = checked(c.schema, wire(c.body(objectText(entries))));
            expect(kept.ok).toBe(true);
            if (kept.ok)
              expect(Object.keys((kept.output as Record<string, Record<string, string>>)[c.field] ?? {}).sort()).toEqual(
                entries.map(([k]) => k).sort(),
              );
            const withBad = [...entries];
            withBad.splice(Math.min(at, withBad.length), 0, [bad, "x"]);
            const refused = checked(c.schema, wire(c.body(objectText(withBad))));
            expect(refused.ok).toBe(false);
            if (!refused.ok)
              expect(refused.problems).toContainEqual({ path: `${c.field}.${bad}`, message: `"${bad}" cannot be used as a name here` });
          },
        ),
        { numRuns: 60 },
      );
    });
  }

  it("a Svix message's payload keeps every top-level key, those named like Object.prototype's members included", () => {
    const names = fc.oneof(fc.constantFrom(...Object.getOwnPropertyNames(Object.prototype)), ordinary);
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(names, fc.string({ maxLength: 8 })), { selector: ([k]) => k, maxLength: 6 }), (entries) => {
        const parsed = checked(MessageIn, wire(`{"eventType":"a.b","payload":${objectText(entries)}}`));
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(JSON.stringify(parsed.output.payload)).toBe(objectText(entries));
      }),
    );
  });

  it("a Svix message's payload that is not an object is refused naming the field", () => {
    for (const payload of ["[]", "1", '"x"', "null"]) {
      const parsed = checked(MessageIn, wire(`{"eventType":"a.b","payload":${payload}}`));
      expect(parsed).toEqual({ ok: false, problems: [{ path: "payload", message: "must be a JSON object" }] });
    }
  });
});
