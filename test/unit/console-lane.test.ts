import { describe, expect, it } from "vitest";
import { laneFact } from "../../console/src/lane.ts";
import type { Endpoint } from "../../console/src/types.ts";

const at = (iso: string) => `at ${iso}`;
const endpoint = (fields: Partial<Endpoint>) =>
  ({ lane: "fast", laneSince: null, laneFastSuccesses: 0, laneFastSuccessesNeeded: 10, laneDemotions: 0, ...fields }) as Endpoint;

describe("the console's lane fact", () => {
  it("shows a slow endpoint's run of fast answers against the run it needs, and its recent moves out of the fast lane", () => {
    expect(laneFact(endpoint({ lane: "slow", laneFastSuccesses: 3, laneFastSuccessesNeeded: 20, laneDemotions: 2 }), at)).toBe(
      "slow, 3 of 20 fast answers in a row to return (2 recent moves out of the fast lane)",
    );
    expect(laneFact(endpoint({ lane: "probation", laneFastSuccessesNeeded: 5 }), at)).toBe(
      "probation, 0 of 5 fast answers in a row to return",
    );
    expect(laneFact(endpoint({ laneDemotions: 1 }), at)).toBe("fast; 1 recent move out of the fast lane");
    expect(laneFact(endpoint({}), at)).toBe("fast");
    expect(laneFact(endpoint({ laneSince: "2026-11-01T00:00:00.000Z" }), at)).toBe("fast since at 2026-11-01T00:00:00.000Z");
  });
});
