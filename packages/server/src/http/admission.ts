// Admission control per process: at most `maxConcurrent` GraphQL requests run at once, at most
// `maxQueued` wait for a slot (each for at most `maxQueueWaitMs`), and everything beyond is
// answered 503 + Retry-After at once. Queuing every request until its time budget ran out made
// all of them slow (p99 9 s at 200 connections); shedding the excess keeps the admitted fast.
import { availableParallelism } from "node:os";
import type { DatabaseKind } from "../db/database.ts";

export interface AdmissionOptions {
  /** GraphQL requests executing at once. */
  maxConcurrent: number;
  /** Requests waiting for a slot; more are refused at once. */
  maxQueued: number;
  /** Longest wait in the queue before a request is refused after all. */
  maxQueueWaitMs: number;
  /** Retry-After of a refusal, in seconds. */
  retryAfterSeconds: number;
}

/**
 * Defaults for the engine, pool and machine. A nested page is mostly JavaScript work (~100 ms
 * of CPU for 20 × 20 × 10 objects here), so more requests at once than cores only make each
 * slower: PostgreSQL runs as many as cores (at least 2, at most the pool size), PGlite 2 (its
 * single connection serves one statement at a time; the second request's JavaScript overlaps
 * it). The queue absorbs a burst of twice that, for at most half a second, so an admitted
 * request waits little; the rest is refused at once. Measured in docs/operations.md.
 */
export function defaultAdmission(kind: DatabaseKind, poolSize = 10): AdmissionOptions {
  const maxConcurrent = kind === "pglite" ? 2 : Math.max(1, Math.min(poolSize, Math.max(2, availableParallelism())));
  return { maxConcurrent, maxQueued: 2 * maxConcurrent, maxQueueWaitMs: 500, retryAfterSeconds: 1 };
}

export interface AdmissionStats {
  running: number;
  queued: number;
  admitted: number;
  /** Refused because the queue was full. */
  refused: number;
  /** Refused after waiting maxQueueWaitMs in the queue. */
  timedOut: number;
  /** Longest queue seen. */
  peakQueued: number;
}

interface Waiter {
  admit: () => void;
  timer: NodeJS.Timeout;
}

export class Admission {
  private running = 0;
  private readonly queue: Waiter[] = [];
  private readonly counts = { admitted: 0, refused: 0, timedOut: 0, peakQueued: 0 };

  constructor(readonly options: AdmissionOptions) {}

  /**
   * Resolves to a release function once the request may run, or to undefined when it must be
   * refused (queue full: at once; no slot within maxQueueWaitMs: then).
   */
  enter(): Promise<(() => void) | undefined> {
    if (this.running < this.options.maxConcurrent) return Promise.resolve(this.admit());
    if (this.queue.length >= this.options.maxQueued) {
      this.counts.refused++;
      return Promise.resolve(undefined);
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        admit: () => resolve(this.admit()),
        timer: setTimeout(() => {
          this.queue.splice(this.queue.indexOf(waiter), 1);
          this.counts.timedOut++;
          resolve(undefined);
        }, this.options.maxQueueWaitMs),
      };
      this.queue.push(waiter);
      this.counts.peakQueued = Math.max(this.counts.peakQueued, this.queue.length);
    });
  }

  stats(): AdmissionStats {
    return { running: this.running, queued: this.queue.length, ...this.counts };
  }

  private admit(): () => void {
    this.running++;
    this.counts.admitted++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      const next = this.queue.shift();
      if (next) {
        clearTimeout(next.timer);
        next.admit();
      }
    };
  }
}
