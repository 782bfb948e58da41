import { MAX_ENCODED_BODY_BYTES } from "./payload-limits.ts";

/*
 * The example builder's budget, apart from the builder: the API document's text names it, and the
 * API function's cold start (which drops that text) loads the builder only on a send-example.
 */

/** What the builder may make: values (every array item, property value and scalar counts one) and bytes of JSON. */
export interface ExampleBudget {
  nodes: number;
  bytes: number;
}

/**
 * 10,000 values, and no more JSON than an emitted payload may take in the queue: a generous example
 * is a few dozen values, and this bounds the work a schema can ask of one request (a few ms).
 */
export const EXAMPLE_BUDGET: Readonly<ExampleBudget> = Object.freeze({ nodes: 10_000, bytes: MAX_ENCODED_BODY_BYTES });
