/**
 * DESTINATION_ALLOW_CIDRS is checked with node:net at cold start (functions/core/ssrf/cidr-list.ts)
 * and used by the destination policy through ipaddr.js: every range the first accepts, the second
 * must read too, or a setting accepted at start would fail at the first delivery.
 */
import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { describe, expect, it } from "vitest";
import { parseCidrList } from "../../functions/core/ssrf/cidr-list.ts";
import { DestinationPolicy } from "../../functions/core/ssrf/destination-policy.ts";

const v4Range = fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([a, p]) => `${a}/${p}`);
const v6Range = fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([a, p]) => `${a}/${p}`);

/** Text near a range: legacy IPv4 forms, zones, signs, spaces, leading zeros, prefixes out of bounds. */
const nearRange = fc
  .tuple(
    fc.oneof(
      fc.ipV4(),
      fc.ipV6(),
      fc.ipV4Extended(),
      fc.constantFrom("127.1", "0x7f.0.0.1", "017.0.0.1", "fe80::1%eth0", "::ffff:1.2.3.4", "1.2.3", "", "::", "1:2:3:4:5:6:7:8:9"),
    ),
    fc.oneof(fc.integer({ min: -2, max: 140 }).map(String), fc.constantFrom("", "08", "+8", " 8", "8 ", "1e1", "0x8")),
    fc.constantFrom("/", "", "//"),
  )
  .map(([address, prefix, slash]) => `${address}${slash}${prefix}`);

describe("parseCidrList", () => {
  it("accepts every IPv4 and IPv6 range in its plain form, and the policy reads each, with its prefix", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(v4Range, v6Range), { minLength: 1, maxLength: 5 }), (ranges) => {
        expect(parseCidrList(ranges.join(", "))).toEqual(ranges);
        for (const range of ranges) {
          const [address, prefix] = ipaddr.parseCIDR(range);
          expect(address.toString()).toBe(ipaddr.parse(range.split("/")[0] as string).toString());
          expect(prefix).toBe(Number(range.split("/")[1]));
        }
        expect(() => new DestinationPolicy(ranges, { allowHttp: false })).not.toThrow();
      }),
    );
  });

  it("accepts nothing the destination policy could not read", () => {
    fc.assert(
      fc.property(nearRange, (text) => {
        let accepted = false;
        try {
          accepted = parseCidrList(text).length === 1;
        } catch {
          accepted = false;
        }
        if (accepted) expect(() => ipaddr.parseCIDR(text.trim())).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it("refuses a range without a prefix, with a prefix its family does not allow, or with a zone, naming the range", () => {
    for (const bad of ["10.0.0.0", "10.0.0.0/33", "::1/129", "10.0.0.0/-1", "10.0.0.0/08", "fe80::1%eth0/64", "127.1/8", "x/8"]) {
      expect(() => parseCidrList(`127.0.0.0/8, ${bad}`), bad).toThrow(bad);
    }
  });

  it("reads an empty list and ignores empty items", () => {
    expect(parseCidrList("")).toEqual([]);
    expect(parseCidrList(" 10.0.0.0/8 ,, ::1/128 ")).toEqual(["10.0.0.0/8", "::1/128"]);
  });
});
