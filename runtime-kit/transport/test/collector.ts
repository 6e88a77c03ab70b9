// Test helper: records everything a Transport delivers and lets a test await a count.
import type { KitError } from '../../errors/kit-error.js';
import type { CloseInfo, Transport } from '../types.js';

export interface Collected {
  frames: string[];
  errors: KitError[];
  closed: Promise<CloseInfo>;
  /** Resolves once `n` frames have arrived in total. */
  frameCount(n: number): Promise<string[]>;
  /** Resolves once `n` errors have arrived in total. */
  errorCount(n: number): Promise<KitError[]>;
}

export function collect(transport: Transport): Collected {
  const frames: string[] = [];
  const errors: KitError[] = [];
  const waiters: Array<() => void> = [];
  let onClose!: (info: CloseInfo) => void;
  const closed = new Promise<CloseInfo>((resolve) => (onClose = resolve));
  const wake = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  const until = <T>(check: () => T | undefined): Promise<T> =>
    new Promise((resolve) => {
      const tryNow = (): void => {
        const v = check();
        if (v !== undefined) resolve(v);
        else waiters.push(tryNow);
      };
      tryNow();
    });
  transport.start({
    message: (f) => {
      frames.push(f);
      wake();
    },
    error: (e) => {
      errors.push(e);
      wake();
    },
    close: (info) => onClose(info),
  });
  return {
    frames,
    errors,
    closed,
    frameCount: (n) => until(() => (frames.length >= n ? frames : undefined)),
    errorCount: (n) => until(() => (errors.length >= n ? errors : undefined)),
  };
}
