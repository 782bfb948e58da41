import { randomUUID } from "node:crypto";
import { base62Digest } from "../kernel/ids.ts";
import type { AttemptRecord } from "../kernel/model.ts";

/*
 * Svix's ids, computed from what a record is (never from a key layout). An application is a
 * tenant: one created through /api/v1 without a `uid` is named by its own `app_` id (27 base62
 * characters, Svix's shape); any other tenant's id is its uid, and its `app_` id spells the tenant
 * id in hex, so it names the tenant without a lookup table and never has Svix's 27-character shape.
 */

/** An `app_` id made here: the tenant id of an application created without a uid. */
export const MADE_APP_ID = /^app_[A-Za-z0-9]{27}$/;
const HEX_APP_ID = /^app_((?:[0-9a-f]{2}){1,64})$/;

/** A new application's id (and tenant id). */
export function newAppId(): string {
  return `app_${base62Digest(randomUUID())}`;
}

/** The `app_` id of a tenant. */
export function appIdOf(tenantId: string): string {
  return MADE_APP_ID.test(tenantId) ? tenantId : `app_${Buffer.from(tenantId, "utf8").toString("hex")}`;
}

/** The uid of a tenant's application: its tenant id, unless the tenant is named by an `app_` id made here. */
export function uidOf(tenantId: string): string | null {
  return MADE_APP_ID.test(tenantId) ? null : tenantId;
}

/** The tenants a path's `{app_id}` may name, in the order they are tried: as a uid (or made id), then as a hex `app_` id. */
export function tenantsNamedBy(appId: string): string[] {
  const hex = HEX_APP_ID.exec(appId)?.[1];
  const decoded = hex === undefined ? undefined : Buffer.from(hex, "hex").toString("utf8");
  return decoded && /^[A-Za-z0-9_.-]{1,64}$/.test(decoded) && decoded !== appId ? [appId, decoded] : [appId];
}

/** An attempt's `atmpt_` id: its delivery, its chain and its number name it. */
export function attemptIdOf(attempt: Pick<AttemptRecord, "eventId" | "endpointId" | "chain" | "attempt" | "tenantId">): string {
  return `atmpt_${base62Digest(JSON.stringify(["attempt", attempt.tenantId, attempt.eventId, attempt.endpointId, attempt.chain ?? "", attempt.attempt]))}`;
}

const ID_HEX = /^[a-z]+_([0-9a-f]{28})$/;

/** A recovery's `qtask_` id: its endpoint's and its own id (both prefix + 28 hex), so the task is found from its id alone. */
export function taskIdOf(endpointId: string, recoveryId: string): string | undefined {
  const [ep, rcv] = [ID_HEX.exec(endpointId)?.[1], ID_HEX.exec(recoveryId)?.[1]];
  return ep && rcv && endpointId.startsWith("ep_") && recoveryId.startsWith("rcv_") ? `qtask_${ep}${rcv}` : undefined;
}

/** The endpoint and recovery a `qtask_` id names, or undefined when it is not one. */
export function recoveryOfTask(taskId: string): { endpointId: string; recoveryId: string } | undefined {
  const m = /^qtask_([0-9a-f]{28})([0-9a-f]{28})$/.exec(taskId);
  return m ? { endpointId: `ep_${m[1]}`, recoveryId: `rcv_${m[2]}` } : undefined;
}
