import * as v from "valibot";
import type { Clock } from "../kernel/clock.ts";
import { ApiError, invalidFields } from "../kernel/errors.ts";
import type { Page } from "../kernel/ports.ts";
import { keyedRecord } from "../requests/keyed-record.ts";
import { EVENT_TYPE, jsonDepth } from "../requests/validation.ts";

/**
 * The event-type catalog. It is global, not per tenant: the operator of a SaaS defines its event
 * types once, with the admin key, for every tenant; tenant keys read it. A type's schema then holds
 * every tenant's payloads of that type to one shape, which is what receivers generate types from.
 */

/** A catalogued event type. `schema` is a JSON Schema (draft 2020-12) its payloads must match. */
export interface EventTypeRecord {
  name: string;
  description: string;
  schema?: Record<string, unknown>;
  /** Payloads of the type: the first is what send-example sends; each matches the schema. */
  examples?: unknown[];
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The catalog's storage. */
export interface EventTypeStore {
  /** Writes a new type; false when one of that name exists. */
  create(type: EventTypeRecord): Promise<boolean>;
  /** Overwrites an existing type; false when there is none of that name. */
  replace(type: EventTypeRecord): Promise<boolean>;
  get(name: string): Promise<EventTypeRecord | undefined>;
  /** The types among `names` that are catalogued, by name. */
  getMany(names: string[]): Promise<Map<string, EventTypeRecord>>;
  /** Removes the type; false when there was none. */
  delete(name: string): Promise<boolean>;
  /** Every type, by name. */
  list(limit: number, cursor?: string): Promise<Page<EventTypeRecord>>;
}

/** What a schema check found wrong: a path in the checked value and what is wrong there. */
export type SchemaIssue = {
  path: string;
  message: string;
};

/** Checks a JSON value against a compiled schema: no issues when it matches. */
export type PayloadValidator = (value: unknown) => SchemaIssue[];

/** Compiles JSON Schemas (draft 2020-12), each once per container. */
export interface SchemaCompiler {
  /** The schema's problems as a schema (none when it compiles). */
  problems(schema: Record<string, unknown>): Promise<SchemaIssue[]>;
  /** A validator for the schema of `type`, compiled on first use and kept while the type is unchanged. */
  validator(type: EventTypeRecord & { schema: Record<string, unknown> }): Promise<PayloadValidator>;
}

/** How large a stored schema may be, as JSON: intake runs it on every event of its type. */
export const MAX_SCHEMA_BYTES = 65_536;
/** How many examples a type may hold, and how large they may be together, as JSON. */
export const MAX_EXAMPLES = 5;
export const MAX_EXAMPLES_BYTES = 65_536;
/** How deep a stored schema may nest. */
export const MAX_SCHEMA_DEPTH = 32;

const DESCRIPTION = v.pipe(v.string(), v.maxLength(1024));
const SCHEMA = v.pipe(keyedRecord(v.string(), v.unknown()), v.description("A JSON Schema (draft 2020-12) the payloads must match"));
const EXAMPLES = v.pipe(
  v.array(v.unknown()),
  v.maxLength(MAX_EXAMPLES),
  v.description("Example payloads, each matching the schema; the first is what send-example sends"),
);

export const CreateEventType = v.strictObject({
  name: EVENT_TYPE,
  description: DESCRIPTION,
  schema: v.optional(SCHEMA),
  examples: v.optional(EXAMPLES),
  archived: v.optional(v.boolean()),
});

export const UpdateEventType = v.strictObject({
  description: v.optional(DESCRIPTION),
  schema: v.optional(v.nullable(SCHEMA)),
  examples: v.optional(v.nullable(EXAMPLES)),
  archived: v.optional(v.boolean()),
});

/** The catalog's ports. */
export interface EventTypeDeps {
  eventTypes: EventTypeStore;
  schemas: SchemaCompiler;
  clock: Clock;
}

/** Registers a type (admin only, checked by the route); 409 when the name is taken, 422 for a bad schema. */
export async function createEventType(deps: EventTypeDeps, input: v.InferOutput<typeof CreateEventType>): Promise<EventTypeRecord> {
  const now = deps.clock.now().toISOString();
  const type: EventTypeRecord = {
    name: input.name,
    description: input.description,
    ...(input.schema !== undefined && { schema: input.schema }),
    ...(input.examples !== undefined && { examples: input.examples }),
    archived: input.archived ?? false,
    createdAt: now,
    updatedAt: now,
  };
  await checkType(deps.schemas, type, input.schema !== undefined);
  if (!(await deps.eventTypes.create(type))) throw new ApiError("already_exists", `Event type ${input.name} exists already`);
  return type;
}

/** One type, or 404. */
export async function getEventType(deps: Pick<EventTypeDeps, "eventTypes">, name: string): Promise<EventTypeRecord> {
  const type = await deps.eventTypes.get(name);
  if (!type) throw new ApiError("not_found", `No event type ${name}`);
  return type;
}

/** Changes a type's description, schema (`null` removes it) or archived flag. */
export async function updateEventType(
  deps: EventTypeDeps,
  name: string,
  input: v.InferOutput<typeof UpdateEventType>,
): Promise<EventTypeRecord> {
  const current = await getEventType(deps, name);
  const { schema: _schema, examples: _examples, ...rest } = current;
  const schema = input.schema === undefined ? current.schema : (input.schema ?? undefined);
  const examples = input.examples === undefined ? current.examples : (input.examples ?? undefined);
  const changed: EventTypeRecord = {
    ...rest,
    ...(schema !== undefined && { schema }),
    ...(examples !== undefined && { examples }),
    description: input.description ?? current.description,
    archived: input.archived ?? current.archived,
    // Validators are cached by name and updatedAt: a new time makes every container compile again.
    updatedAt: laterThan(current.updatedAt, deps.clock.now()),
  };
  await checkType(deps.schemas, changed, Boolean(input.schema));
  if (!(await deps.eventTypes.replace(changed))) throw new ApiError("not_found", `No event type ${name}`);
  return changed;
}

/** Removes a type: events of that name are then accepted unchecked, as uncatalogued types are. */
export async function deleteEventType(deps: Pick<EventTypeDeps, "eventTypes">, name: string): Promise<void> {
  if (!(await deps.eventTypes.delete(name))) throw new ApiError("not_found", `No event type ${name}`);
}

/**
 * Refuses, with `422 invalid_schema`, a new schema that is too large, too deep, not a valid draft
 * 2020-12 schema or a hazard to intake, and examples the type's schema does not match.
 */
async function checkType(schemas: SchemaCompiler, type: EventTypeRecord, schemaIsNew: boolean): Promise<void> {
  const { schema, examples } = type;
  if (schema !== undefined && schemaIsNew) {
    const refusal = await schemaRefusal(schemas, schema);
    if (refusal) throw invalidFields(refusal, "invalid_schema");
  }
  if (examples === undefined) return;
  if (Buffer.byteLength(JSON.stringify(examples)) > MAX_EXAMPLES_BYTES) {
    throw invalidFields([{ path: "examples", message: `must be at most ${MAX_EXAMPLES_BYTES} bytes as JSON` }]);
  }
  if (schema === undefined) return;
  const validate = await schemas.validator({ ...type, schema });
  const failing = examples.flatMap((example, i) => prefixed(`examples.${i}`, validate(example)));
  if (failing.length > 0) throw invalidFields(failing, "invalid_schema");
}

/** Why registration refuses a schema, as issues under `schema`; undefined when it may be stored. */
async function schemaRefusal(schemas: SchemaCompiler, schema: Record<string, unknown>): Promise<SchemaIssue[] | undefined> {
  if (Buffer.byteLength(JSON.stringify(schema)) > MAX_SCHEMA_BYTES) {
    return [{ path: "schema", message: `must be at most ${MAX_SCHEMA_BYTES} bytes as JSON` }];
  }
  if (jsonDepth(schema) > MAX_SCHEMA_DEPTH) {
    return [{ path: "schema", message: `must nest at most ${MAX_SCHEMA_DEPTH} levels deep` }];
  }
  const problems = await schemas.problems(schema);
  return problems.length > 0 ? prefixed("schema", problems) : undefined;
}

/** A stored type whose schema today's registration would refuse, and why. */
export interface RefusedSchema {
  name: string;
  updatedAt: string;
  issues: SchemaIssue[];
}

/**
 * The migration check: every catalogued type whose stored schema registration now refuses (a
 * pattern the linear engine cannot run, say). Intake still runs such a schema, without those
 * patterns; an admin rewrites each one with a PATCH.
 */
export async function refusedSchemas(deps: Pick<EventTypeDeps, "eventTypes" | "schemas">): Promise<RefusedSchema[]> {
  const refused: RefusedSchema[] = [];
  for (const type of await allEventTypes(deps.eventTypes)) {
    const refusal = type.schema && (await schemaRefusal(deps.schemas, type.schema));
    if (refusal) refused.push({ name: type.name, updatedAt: type.updatedAt, issues: refusal });
  }
  return refused;
}

/** Every type of the catalog, page after page (the catalog is the operator's, so it stays small). */
export async function allEventTypes(store: Pick<EventTypeStore, "list">): Promise<EventTypeRecord[]> {
  const types: EventTypeRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list(250, cursor);
    types.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return types;
}

/** Issues with their paths placed under `root`. */
export function prefixed(root: string, issues: SchemaIssue[]): SchemaIssue[] {
  return issues.map((i) => ({ ...i, path: i.path ? `${root}.${i.path}` : root }));
}

/** `now`, or a millisecond after `previous` when the clock has not moved past it. */
function laterThan(previous: string, now: Date): string {
  const at = Math.max(now.getTime(), Date.parse(previous) + 1);
  return new Date(at).toISOString();
}

/** A warning in an endpoint's create or update answer: the endpoint is saved regardless. */
export interface TypeWarning {
  code: "unknown_event_type";
  eventType: string;
  message: string;
}

/**
 * The subscribed types the catalog does not hold. A warning, not an error: producers may send
 * types before (or without) cataloguing them, and existing endpoints keep working. Only while the
 * catalog holds a type at all: an operator who does not use it is not warned about every name.
 */
export async function unknownTypeWarnings(deps: Pick<EventTypeDeps, "eventTypes">, subscribed?: string[] | null): Promise<TypeWarning[]> {
  if (!subscribed || subscribed.length === 0) return [];
  let unknown: string[];
  try {
    const known = await deps.eventTypes.getMany(subscribed);
    unknown = subscribed.filter((name) => !known.has(name));
    if (unknown.length > 0 && known.size === 0 && (await deps.eventTypes.list(1)).items.length === 0) return [];
  } catch {
    // Advice only: the change is saved already, and a failed read must not answer it with an error.
    return [];
  }
  return unknown.map((eventType) => ({
    code: "unknown_event_type",
    eventType,
    message: `The event-type catalog holds no ${eventType}: check the name, or catalogue it`,
  }));
}
