/**
 * Deploy order: CloudFormation updates a resource after those it depends on, so the workers that
 * read what the API and feed functions write (the message id on queue messages) get their new code
 * first. The added dependencies must not close a cycle, which synthesis does not check: the test
 * walks every DependsOn, Ref and GetAtt of the template.
 */
import { describe, expect, it } from "vitest";
import { logicalId, SYNTH_TIMEOUT_MS, synthDispatcher } from "./helpers.ts";

type Template = { Resources: Record<string, { DependsOn?: string | string[]; [key: string]: unknown }> };

/** Every resource a resource waits for: its DependsOn and every Ref or GetAtt in it. */
function edges(template: Template): Map<string, Set<string>> {
  const ids = new Set(Object.keys(template.Resources));
  const graph = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    const to = new Set<string>([resource.DependsOn ?? []].flat());
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (typeof node === "object" && node !== null) {
        for (const [key, value] of Object.entries(node)) {
          if (key === "Ref" && typeof value === "string" && ids.has(value)) to.add(value);
          else if (key === "Fn::GetAtt" && Array.isArray(value) && ids.has(String(value[0]))) to.add(String(value[0]));
          else if (key === "Fn::Sub" && typeof (Array.isArray(value) ? value[0] : value) === "string") {
            for (const [, name] of String(Array.isArray(value) ? value[0] : value).matchAll(/\$\{([A-Za-z0-9]+)[.}]/g))
              if (ids.has(name as string)) to.add(name as string);
            if (Array.isArray(value)) visit(value[1]);
          } else visit(value);
        }
      }
    };
    visit({ ...resource, DependsOn: undefined });
    graph.set(id, to);
  }
  return graph;
}

/** A cycle among the resources, as its ids, or none. */
function cycle(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const from = (id: string): string[] | undefined => {
    if (state.get(id) === "done") return undefined;
    if (state.get(id) === "open") return [...path.slice(path.indexOf(id)), id];
    state.set(id, "open");
    path.push(id);
    for (const next of graph.get(id) ?? []) {
      const found = from(next);
      if (found) return found;
    }
    path.pop();
    state.set(id, "done");
    return undefined;
  };
  for (const id of graph.keys()) {
    const found = from(id);
    if (found) return found;
  }
  return undefined;
}

describe("deploy order of the functions", () => {
  for (const frontDoor of ["http-api", "function-url"] as const) {
    it(
      `updates the delivery, dead-letter and sweeper functions before the API and feed functions, with no cycle (frontDoor ${frontDoor})`,
      () => {
        const props = frontDoor === "function-url" ? { frontDoor, apiReservedConcurrency: 40, feedReservedConcurrency: 30 } : { frontDoor };
        const { stack, dispatcher, template } = synthDispatcher(props);
        const json = template.toJSON() as Template;
        const graph = edges(json);
        const readers = [dispatcher.deliveryFunction, dispatcher.deadLetterFunction, dispatcher.sweeperFunction].map((f) =>
          logicalId(stack, f),
        );
        for (const writer of [dispatcher.apiFunction, dispatcher.feedFunction]) {
          const id = logicalId(stack, writer);
          expect([json.Resources[id]?.DependsOn ?? []].flat()).toEqual(expect.arrayContaining(readers));
        }
        expect(cycle(graph)).toBeUndefined();
      },
      SYNTH_TIMEOUT_MS,
    );
  }

  it("finds a cycle when there is one, so the check above can fail", () => {
    const graph = edges({ Resources: { A: { DependsOn: "B" }, B: { Properties: { X: { "Fn::GetAtt": ["A", "Arn"] } } } } });
    expect(cycle(graph)).toEqual(["A", "B", "A"]);
  });
});
