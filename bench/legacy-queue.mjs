// The hand-written queue the generated webhooks module had before pg-boss
// (webhook_inbox + webhook_jobs, taken with FOR UPDATE SKIP LOCKED), ported
// to JavaScript for bench/queue.mjs: the same SQL and the same transactions,
// on tables of its own (legacy_*) so that it runs beside the new queue in
// one database. `withTenant` is the generated service's (src/db/tenant.ts).
import { randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';

/** Webhook tables belong to the service, not to a tenant: this never-issued tenant id. */
export const SYSTEM_TENANT = '00000000-0000-0000-0000-000000000000';

/** The old migration's tables and grants, renamed. Run as the migration role. */
export const LEGACY_TABLES = [
  `CREATE TABLE legacy_webhook_inbox (
     source text NOT NULL,
     event_id text NOT NULL,
     received_at timestamp with time zone DEFAULT now() NOT NULL,
     CONSTRAINT legacy_webhook_inbox_pk PRIMARY KEY (source, event_id))`,
  `CREATE TABLE legacy_webhook_jobs (
     id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
     source text NOT NULL,
     event_id text NOT NULL,
     type text NOT NULL,
     occurred_at timestamp with time zone NOT NULL,
     payload jsonb NOT NULL,
     attempts integer DEFAULT 0 NOT NULL,
     run_at timestamp with time zone DEFAULT now() NOT NULL,
     last_error text)`,
  'CREATE INDEX legacy_webhook_jobs_run_at ON legacy_webhook_jobs USING btree (run_at)',
  `CREATE TABLE legacy_webhook_dead_letters (
     id bigint PRIMARY KEY,
     source text NOT NULL,
     event_id text NOT NULL,
     type text NOT NULL,
     occurred_at timestamp with time zone NOT NULL,
     payload jsonb NOT NULL,
     attempts integer NOT NULL,
     last_error text,
     failed_at timestamp with time zone DEFAULT now() NOT NULL)`,
  'REVOKE ALL ON TABLE legacy_webhook_inbox, legacy_webhook_jobs, legacy_webhook_dead_letters FROM PUBLIC, app_user',
  'GRANT SELECT, INSERT ON TABLE legacy_webhook_inbox TO app_user',
  'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE legacy_webhook_jobs TO app_user',
  'GRANT SELECT, INSERT ON TABLE legacy_webhook_dead_letters TO app_user',
];

/** Empties the legacy tables between rounds. */
export const LEGACY_RESET = 'TRUNCATE legacy_webhook_inbox, legacy_webhook_jobs, legacy_webhook_dead_letters';

/** Exponential backoff with full jitter: 2s, 4s, 8s... capped at one hour. */
export function backoffMs(attempt) {
  const ceiling = Math.min(2 ** attempt * 1000, 3_600_000);
  return ceiling / 2 + randomInt(Math.max(1, Math.floor(ceiling / 2)));
}

/** The old queue's functions over a Drizzle `db`, with the service's `withTenant`. */
export function legacyQueue(withTenant) {
  /** Records the event once per (source, id) and queues it, in one transaction. */
  async function enqueueOnce(db, event) {
    return withTenant(db, SYSTEM_TENANT, async (tx) => {
      const inserted = await tx.execute(
        sql`INSERT INTO legacy_webhook_inbox (source, event_id) VALUES (${event.source}, ${event.id})
            ON CONFLICT DO NOTHING RETURNING event_id`,
      );
      if (inserted.rows.length === 0) return 'duplicate';
      await tx.execute(
        sql`INSERT INTO legacy_webhook_jobs (source, event_id, type, occurred_at, payload)
            VALUES (${event.source}, ${event.id}, ${event.type}, ${event.occurredAt.toISOString()},
                    ${JSON.stringify(event.payload)}::jsonb)`,
      );
      return 'queued';
    });
  }

  /** Takes the next due job (SKIP LOCKED), runs its handler in a savepoint, deletes it with the handler's writes. */
  async function processNext(db, options) {
    let dead;
    const outcome = await withTenant(db, SYSTEM_TENANT, async (tx) => {
      const { rows } = await tx.execute(
        sql`SELECT id, source, event_id, type, occurred_at, payload, attempts FROM legacy_webhook_jobs
            WHERE run_at <= now() ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      const [job] = rows;
      if (job === undefined) return 'idle';
      const event = {
        source: job.source,
        id: job.event_id,
        type: job.type,
        occurredAt: new Date(job.occurred_at),
        payload: job.payload,
      };
      const handler = Object.hasOwn(options.handlers, job.source) ? options.handlers[job.source] : undefined;
      let error;
      try {
        if (handler === undefined) throw new Error(`no handler for source ${job.source}`);
        await tx.transaction((savepoint) => handler(event, savepoint));
      } catch (failure) {
        error = failure instanceof Error ? failure.message.slice(0, 500) : 'handler failed';
      }
      if (error === undefined) {
        await tx.execute(sql`DELETE FROM legacy_webhook_jobs WHERE id = ${job.id}`);
        return 'done';
      }
      const attempts = job.attempts + 1;
      if (attempts >= (options.maxAttempts ?? 8) || handler === undefined) {
        await tx.execute(
          sql`INSERT INTO legacy_webhook_dead_letters (id, source, event_id, type, occurred_at, payload, attempts, last_error)
              SELECT id, source, event_id, type, occurred_at, payload, ${attempts}, ${error}
              FROM legacy_webhook_jobs WHERE id = ${job.id}`,
        );
        await tx.execute(sql`DELETE FROM legacy_webhook_jobs WHERE id = ${job.id}`);
        dead = { event, error };
        return 'dead';
      }
      const runAt = new Date(Date.now() + backoffMs(attempts)).toISOString();
      await tx.execute(
        sql`UPDATE legacy_webhook_jobs SET attempts = ${attempts}, run_at = ${runAt}, last_error = ${error}
            WHERE id = ${job.id}`,
      );
      return 'retry';
    });
    if (dead !== undefined) options.onDeadLetter?.(dead.event, dead.error);
    return outcome;
  }

  /**
   * The old `startWorker`: polls with `processNext` until stopped (sleeping
   * `pollMs`, default 1000, when idle), here one loop per concurrency slot.
   * Returns a function that stops every loop after its current job.
   */
  function startWorker(db, options) {
    const state = { stopped: false };
    const loops = Array.from({ length: options.concurrency ?? 1 }, async () => {
      while (!state.stopped) {
        const outcome = await processNext(db, options).catch(() => 'idle');
        if (outcome === 'idle') await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
      }
    });
    return async () => {
      state.stopped = true;
      await Promise.all(loops);
    };
  }

  return { enqueueOnce, processNext, startWorker };
}
