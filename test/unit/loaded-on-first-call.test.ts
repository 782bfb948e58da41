import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadedOnFirstCall } from "../../functions/adapters/lambda/loaded-on-first-call.ts";

class Store {
  readonly calls: string[] = [];
  async get(id: string): Promise<string> {
    return `got ${id}`;
  }
  async put(id: string, value: number): Promise<number> {
    return id.length + value;
  }
}

describe("loadedOnFirstCall", () => {
  it("loads nothing until a method is called, then loads once and answers every call as the port would", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.boolean(), fc.string(), fc.integer()), { maxLength: 20 }), async (calls) => {
        let loads = 0;
        const direct = new Store();
        const port = loadedOnFirstCall<Pick<Store, "get" | "put">>(async () => {
          loads++;
          return new Store();
        });
        expect(loads).toBe(0);
        // Calls made before the load ends wait for the same load.
        const answers = await Promise.all(calls.map(([get, id, n]) => (get ? port.get(id) : port.put(id, n))));
        const expected = await Promise.all(calls.map(([get, id, n]) => (get ? direct.get(id) : direct.put(id, n))));
        expect(answers).toEqual(expected);
        expect(loads).toBe(calls.length === 0 ? 0 : 1);
      }),
    );
  });

  it("loads again on the next call after a failed load", async () => {
    let loads = 0;
    const port = loadedOnFirstCall<Pick<Store, "get">>(async () => {
      loads++;
      if (loads === 1) throw new Error("chunk unreadable");
      return new Store();
    });
    await expect(port.get("a")).rejects.toThrow("chunk unreadable");
    await expect(port.get("a")).resolves.toBe("got a");
    expect(loads).toBe(2);
  });

  it("is not a thenable, so awaiting the port itself loads nothing", async () => {
    let loads = 0;
    const port = loadedOnFirstCall<Pick<Store, "get">>(async () => {
      loads++;
      return new Store();
    });
    expect(await Promise.resolve(port)).toBe(port);
    expect(loads).toBe(0);
  });
});
