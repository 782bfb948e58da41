import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { endpointSignatureHeaders, SIGNATURE_HEADER_STYLES, signatureHeaders } from "../../functions/core/endpoints/signature-headers.ts";
import { CreateEndpoint, UpdateEndpoint } from "../../functions/core/requests/validation.ts";

const style = fc.constantFrom(...SIGNATURE_HEADER_STYLES);
const values = fc.record({ id: fc.string(), timestamp: fc.string(), signature: fc.string() });

describe("signature header styles", () => {
  it("names exactly the style's sets, each carrying the same three values", () => {
    fc.assert(
      fc.property(style, values, (s, vals) => {
        const headers = signatureHeaders(s, vals);
        const prefixes = s === "both" ? ["webhook-", "svix-"] : [`${s}-`];
        expect(Object.keys(headers).sort()).toEqual(prefixes.flatMap((p) => [`${p}id`, `${p}signature`, `${p}timestamp`]).sort());
        for (const p of prefixes)
          expect([headers[`${p}id`], headers[`${p}timestamp`], headers[`${p}signature`]]).toEqual([
            vals.id,
            vals.timestamp,
            vals.signature,
          ]);
      }),
    );
  });

  it("an endpoint's own choice wins; without one the tenant default (the deployment's) applies", () => {
    fc.assert(
      fc.property(fc.option(style, { nil: undefined }), style, fc.string(), (own, deployment, tenantId) => {
        const endpoint = { tenantId, ...(own !== undefined && { signatureHeaders: own }) };
        expect(endpointSignatureHeaders(endpoint, deployment)).toBe(own ?? deployment);
      }),
    );
  });

  it("an endpoint may not set a svix-* header itself, in any case", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }).filter((t) => /^[a-z0-9-]+$/i.test(t)),
        fc.boolean(),
        (tail, upper) => {
          const name = upper ? `SVIX-${tail}` : `svix-${tail}`;
          expect(v.safeParse(CreateEndpoint, { url: "https://example.com/", headers: { [name]: "x" } }).success).toBe(false);
          expect(v.safeParse(UpdateEndpoint, { headers: { [name]: "x" } }).success).toBe(false);
        },
      ),
    );
  });

  it("accepts only the three styles, and null on update", () => {
    fc.assert(
      fc.property(fc.string(), (word) => {
        const known = (SIGNATURE_HEADER_STYLES as readonly string[]).includes(word);
        expect(v.safeParse(CreateEndpoint, { url: "https://example.com/", signatureHeaders: word }).success).toBe(known);
      }),
    );
    expect(v.safeParse(UpdateEndpoint, { signatureHeaders: null }).success).toBe(true);
  });
});
