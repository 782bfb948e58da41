import * as v from "valibot";
import { ApiError } from "../kernel/errors.ts";
import type { TenantRecord } from "../kernel/model.ts";
import type { Page } from "../kernel/ports.ts";
import { checkRetentionDays } from "../lifecycle/retention.ts";
import { TenantSettings } from "../lifecycle/tenant-settings.ts";
import { keyedRecord } from "../requests/keyed-record.ts";
import { TENANT_ID } from "../requests/validation.ts";
import { deletedError, liveTenant, type TenantDeps } from "./tenant-record.ts";

/*
 * Tenant records. A tenant exists as soon as something of it does (an endpoint, a key, an event);
 * its record adds what the operator says of it (a name, metadata) and when it was first seen. The
 * record is written on the tenant's first endpoint, API key or portal session when the admin did not
 * create it first, so that a list of tenants finds every tenant that can receive anything.
 */

export const MAX_TENANT_METADATA = 50;
const METADATA = v.pipe(
  keyedRecord(v.pipe(v.string(), v.minLength(1), v.maxLength(64)), v.pipe(v.string(), v.maxLength(512))),
  v.check((m) => Object.keys(m).length <= MAX_TENANT_METADATA, `must hold at most ${MAX_TENANT_METADATA} keys`),
  v.description("String pairs for your own use"),
);
const NAME = v.pipe(v.string(), v.minLength(1), v.maxLength(256));

export const CreateTenant = v.strictObject({ id: TENANT_ID, name: v.optional(NAME), metadata: v.optional(METADATA) });
export type CreateTenantInput = v.InferOutput<typeof CreateTenant>;
/** A change: each field given replaces the stored one; `name: null` removes the name, `settings.retentionDays: null` the override. */
export const UpdateTenant = v.strictObject({
  name: v.optional(v.nullable(NAME)),
  metadata: v.optional(METADATA),
  settings: v.optional(TenantSettings),
});
export type UpdateTenantInput = v.InferOutput<typeof UpdateTenant>;

/** A tenant as the API shows it: the record without its revision. */
export function tenantView(record: TenantRecord): Omit<TenantRecord, "revision"> {
  const { revision: _revision, ...view } = record;
  return view;
}

/** How many times a change is tried when another writer changed the record between its read and its write. */
const WRITE_TRIES = 5;

/** Creates a tenant record; 409 already_exists when the tenant has one. */
export async function createTenant(deps: TenantDeps, input: CreateTenantInput): Promise<TenantRecord> {
  await refuseDeleted(deps, input.id);
  const now = deps.clock.now().toISOString();
  const record: TenantRecord = {
    id: input.id,
    ...(input.name !== undefined && { name: input.name }),
    metadata: input.metadata ?? {},
    createdAt: now,
    updatedAt: now,
    revision: 0,
  };
  if (!(await deps.tenants.create(record))) throw new ApiError("already_exists", `Tenant ${input.id} exists already`);
  return record;
}

/** The tenant's record; 404 when it has none or the caller is confined to another tenant. */
export async function getTenant(deps: TenantDeps, id: string, confined?: string): Promise<TenantRecord> {
  const record = confined === undefined || confined === id ? await liveTenant(deps, id) : undefined;
  if (!record) throw new ApiError("not_found", `No tenant ${id}`);
  return record;
}

async function refuseDeleted(deps: TenantDeps, id: string): Promise<void> {
  if ((await deps.tenants.status(id)).deletion) throw deletedError(id);
}

/** Every tenant record, oldest first. */
export function listTenants(deps: TenantDeps, limit: number, cursor?: string): Promise<Page<TenantRecord>> {
  return deps.tenants.list(limit, cursor);
}

/** Applies a change to the tenant's record, retrying when another writer changed it meanwhile; 404 when there is none. */
export async function updateTenant(deps: TenantDeps, id: string, change: UpdateTenantInput, confined?: string): Promise<TenantRecord> {
  checkRetentionDays(change.settings?.retentionDays, deps.queueRetentionSeconds);
  for (let tries = 0; tries < WRITE_TRIES; tries++) {
    const current = await getTenant(deps, id, confined);
    const { name: _name, settings: _settings, ...rest } = current;
    const name = change.name === undefined ? current.name : (change.name ?? undefined);
    const settings = mergeSettings(current.settings, change.settings);
    const updated: TenantRecord = {
      ...rest,
      ...(name !== undefined && { name }),
      ...(settings && { settings }),
      metadata: change.metadata ?? current.metadata,
      updatedAt: deps.clock.now().toISOString(),
    };
    if (await deps.tenants.replace(updated)) return { ...updated, revision: current.revision + 1 };
  }
  throw new ApiError("concurrent_update", `Tenant ${id} kept changing while this change was applied: try again`);
}

/** The stored settings with the change applied: a field given replaces, null removes; undefined when none is left. */
function mergeSettings(current: TenantRecord["settings"], change: UpdateTenantInput["settings"]): TenantRecord["settings"] {
  const days = change?.retentionDays === undefined ? current?.retentionDays : (change.retentionDays ?? undefined);
  const headers = change?.signatureHeaders === undefined ? current?.signatureHeaders : (change.signatureHeaders ?? undefined);
  const settings = { ...(days !== undefined && { retentionDays: days }), ...(headers !== undefined && { signatureHeaders: headers }) };
  return Object.keys(settings).length === 0 ? undefined : settings;
}
