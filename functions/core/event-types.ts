import * as v from "valibot";
import type { Clock } from "./clock.ts";
import { ApiError } from "./errors.ts";
import type { Page } from "./ports.ts";
import { EVENT_TYPE, jsonDepth } from "./validation.ts";

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
export interface SchemaIssue {
  path: string;
  message: string;
}

/** Checks a JSON value against a compiled schema: no issues when it matches. */
export type PayloadValidator = (value: unknown) => SchemaIssue[];

/** Compiles JSON Schemas (draft 2020-12), each once per container. */
export interface SchemaCompiler {
  /** The schema's problems as a schema (none when it compiles). */
  problems(schema: Record<string, unknown>): Promise<SchemaIssue[]>;
  /** A validator for the schema of `type`, compiled on first use and kept while the type is unchanged. */
  validator(type: EventTypeRecord & { schema: Record<string, unknown> }): Promise<PayloadValidator>;
}

/** How large a stored schema may be, as JSON: schemas are compiled into intake, so they stay small. */
export const MAX_SCHEMA_BYTES = 32_768;
/** How deep a stored schema may nest. */
export const MAX_SCHEMA_DEPTH = 32;

const DESCRIPTION = v.pipe(v.string(), v.maxLength(1024));
const SCHEMA = v.pipe(v.record(v.string(), v.unknown()), v.description("A JSON Schema (draft 2020-12) the payloads must match"));

export const CreateEventType = v.strictObject({
  name: EVENT_TYPE,
  description: DESCRIPTION,
  schema: v.optional(SCHEMA),
  archived: v.optional(v.boolean()),
});

export const UpdateEventType = v.strictObject({
  description: v.optional(DESCRIPTION),
  schema: v.optional(v.nullable(SCHEMA)),
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
  if (input.schema !== undefined) await checkSchema(deps.schemas, input.schema);
  const now = deps.clock.now().toISOString();
  const type: EventTypeRecord = {
    name: input.name,
    description: input.description,
    ...(input.schema !== undefined && { schema: input.schema }),
    archived: input.archived ?? false,
    createdAt: now,
    updatedAt: now,
  };
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
  if (input.schema) await checkSchema(deps.schemas, input.schema);
  const { schema: _dropped, ...rest } = current;
  const schema = input.schema === undefined ? current.schema : (input.schema ?? undefined);
  const changed: EventTypeRecord = {
    ...rest,
    ...(schema !== undefined && { schema }),
    description: input.description ?? current.description,
    archived: input.archived ?? current.archived,
    // Validators are cached by name and updatedAt: a new time makes every container compile again.
    updatedAt: laterThan(current.updatedAt, deps.clock.now()),
  };
  if (!(await deps.eventTypes.replace(changed))) throw new ApiError("not_found", `No event type ${name}`);
  return changed;
}

/** Removes a type: events of that name are then accepted unchecked, as uncatalogued types are. */
export async function deleteEventType(deps: Pick<EventTypeDeps, "eventTypes">, name: string): Promise<void> {
  if (!(await deps.eventTypes.delete(name))) throw new ApiError("not_found", `No event type ${name}`);
}

/** Refuses, with 422, a schema that is too large, too deep or not a valid draft 2020-12 schema. */
async function checkSchema(schemas: SchemaCompiler, schema: Record<string, unknown>): Promise<void> {
  const invalid = (message: string, details: SchemaIssue[]) => new ApiError("validation_failed", message, details);
  if (Buffer.byteLength(JSON.stringify(schema)) > MAX_SCHEMA_BYTES) {
    throw invalid("The schema is too large", [{ path: "schema", message: `must be at most ${MAX_SCHEMA_BYTES} bytes as JSON` }]);
  }
  if (jsonDepth(schema) > MAX_SCHEMA_DEPTH) {
    throw invalid("The schema is too deep", [{ path: "schema", message: `must nest at most ${MAX_SCHEMA_DEPTH} levels deep` }]);
  }
  const problems = await schemas.problems(schema);
  if (problems.length > 0) {
    const details = problems.map((p) => ({ ...p, path: p.path ? `schema.${p.path}` : "schema" }));
    throw invalid("The schema is not a valid JSON Schema (draft 2020-12)", details);
  }
}

/** `now`, or a millisecond after `previous` when the clock has not moved past it. */
function laterThan(previous: string, now: Date): string {
  const at = Math.max(now.getTime(), Date.parse(previous) + 1);
  return new Date(at).toISOString();
}
