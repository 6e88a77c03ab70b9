// Test-only: counts the work a validator does on one value, independently of wall time (house rule:
// speed is asserted through counted work, never timed). Two counters, summed:
// - reads of the instance: every property read, `in` check and key listing through a lazy deep Proxy
//   (a validator that re-walks the value per item shows up here);
// - error-array traffic: elements copied by Array.prototype.concat and appended by push while the
//   validator runs (ajv's allErrors mode concatenated the whole error list once per failing item,
//   issue 13 item 1: quadratic here, not in the reads).
// Validation is synchronous, so patching the Array prototype for the duration of one call is safe.

type Fn = (value: unknown) => unknown;

export interface Work {
  readonly reads: number;
  readonly arrayTraffic: number;
  readonly total: number;
  readonly result: unknown;
}

function wrap(root: unknown, count: () => void): unknown {
  const proxies = new WeakMap<object, object>();
  const toProxy = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const known = proxies.get(value);
    if (known !== undefined) return known;
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        count();
        return toProxy(Reflect.get(target, key, receiver));
      },
      has(target, key) {
        count();
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        count();
        return Reflect.ownKeys(target);
      },
      getOwnPropertyDescriptor(target, key) {
        count();
        const descriptor = Reflect.getOwnPropertyDescriptor(target, key);
        // The value seen through a descriptor is wrapped too, so every later read is counted.
        if (descriptor !== undefined && 'value' in descriptor && descriptor.configurable) {
          return { ...descriptor, value: toProxy(descriptor.value) };
        }
        return descriptor;
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  return toProxy(root);
}

/** Runs `fn(value)` once and returns what it cost in counted operations. */
export function countWork(fn: Fn, value: unknown): Work {
  let reads = 0;
  let traffic = 0;
  const proxied = wrap(value, () => { reads++; });
  const proto = Array.prototype as unknown as Record<string, unknown>;
  const { concat, push } = Array.prototype;
  proto.concat = function counted(this: unknown[], ...args: unknown[]) {
    traffic += this.length;
    for (const a of args) traffic += Array.isArray(a) ? a.length : 1;
    return concat.apply(this, args);
  };
  proto.push = function counted(this: unknown[], ...args: unknown[]) {
    traffic += args.length;
    return push.apply(this, args);
  };
  let result: unknown;
  try {
    result = fn(proxied);
  } finally {
    proto.concat = concat;
    proto.push = push;
  }
  return { reads, arrayTraffic: traffic, total: reads + traffic, result };
}
