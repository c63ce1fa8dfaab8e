import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from './client.ts';
import { auditLog } from './schema.ts';

/**
 * What the audit log records: every change to who may call the API and to what model serves
 * (experiments included), and every export and erasure of a listener's data.
 */
export const AUDIT_ACTIONS = [
  'key.mint',
  'key.revoke',
  'model.upload',
  'model.activate',
  'experiment.start',
  'experiment.stop',
  'experiment.promote',
  'user.export',
  'user.erase',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who acted: the calling key's id and role (a Principal fits). */
export interface AuditActor {
  keyId: string;
  role: string;
}

export interface AuditEntry {
  id: number;
  at: number;
  actorKeyId: string;
  actorRole: string;
  action: AuditAction;
  target: string;
  detail: Record<string, unknown>;
}

/**
 * Appends one entry after the action it records has committed.
 *
 * @example await recordAudit(db, principal, 'key.revoke', '3f9a0c1d2e4b', { role: 'app', name: 'ios app' }, Date.now())
 */
export async function recordAudit(
  db: Db,
  actor: AuditActor,
  action: AuditAction,
  target: string,
  detail: Record<string, unknown>,
  now: number,
): Promise<void> {
  await db
    .insert(auditLog)
    .values({ at: now, actorKeyId: actor.keyId, actorRole: actor.role, action, target, detail: JSON.stringify(detail) });
}

/** Newest first; `before` is the id of the last entry of the previous page. */
export async function listAudit(db: Db, o: { action?: AuditAction; before?: number; limit: number }): Promise<AuditEntry[]> {
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(o.action ? eq(auditLog.action, o.action) : undefined, o.before === undefined ? undefined : lt(auditLog.id, o.before)))
    .orderBy(desc(auditLog.id))
    .limit(o.limit);
  return rows.map((r) => ({ ...r, action: r.action as AuditAction, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}
