/**
 * The bounds on what a stored schema may make intake do, in a leaf of their own: the API document
 * quotes them, and must not pull the validator and its regex engine into its chunk.
 */

/** At most this many `$ref`s in one schema. */
export const MAX_SCHEMA_REFS = 64;
/** At most this many subschemas may apply to one value in place (through allOf/anyOf/oneOf/not/if/$ref). */
export const MAX_CHECKS_PER_VALUE = 1000;
/** Longest `pattern` (or `patternProperties` name) accepted, in characters. */
export const MAX_PATTERN_LENGTH = 256;
/** Largest compiled program of one pattern, in RE2 instructions: `.{1,1000}` is about 2,000. */
export const MAX_PATTERN_PROGRAM = 2_000;
/** At most this many RE2 instructions for all of a schema's distinct patterns together: each container compiles them. */
export const MAX_SCHEMA_PROGRAM = 20_000;
/** Work units (linear-patterns.ts) one payload's pattern checks may always spend. */
export const PATTERN_WORK_FLOOR = 20_000;
/** And per byte of the payload as JSON, when that is more. */
export const PATTERN_WORK_PER_BYTE = 16;
