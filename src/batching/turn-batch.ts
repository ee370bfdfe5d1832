interface Caller<R> {
  resolve(reply: R): void;
  reject(err: unknown): void;
}

/**
 * What is added within one turn of the event loop, sent together by one call of `send`: one command
 * or one write for a whole match batch instead of one per article (each of ioredis's commands and each
 * socket write costs the daemon CPU of its own). Gathered until setImmediate, as ioredis's
 * auto-pipelining does: items added as the replies of one read resolve go together.
 *
 * `send` gets the turn's items in the order added and either resolves to undefined (every caller's
 * promise resolves with undefined) or to one reply per item (an Error rejects that item's caller alone). A failed `send` rejects every caller of its turn, as separate
 * commands sent together and failing together would.
 */
export class TurnBatch<T, R = void> {
  private items: T[] = [];
  private callers: Array<Caller<R>> = [];

  constructor(
    private readonly send: (items: T[]) => Promise<ReadonlyArray<R | Error> | undefined>,
    /** Names the failure when `send` rejects without an error. */
    private readonly what: string,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.callers.push({ resolve, reject });
      if (this.items.push(item) === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const { items, callers } = this;
    this.items = [];
    this.callers = [];
    let sent: Promise<ReadonlyArray<R | Error> | undefined>;
    try {
      sent = this.send(items);
    } catch (err) {
      sent = Promise.reject(err);
    }
    sent.then(
      (replies) =>
        callers.forEach((caller, i) => {
          const reply = replies?.[i];
          if (reply instanceof Error) caller.reject(reply);
          else caller.resolve(reply as R);
        }),
      (err: unknown) => {
        for (const caller of callers) caller.reject(err ?? new Error(`${this.what} failed`));
      },
    );
  }
}

/** `make` called once per object (a queue, a connection): the same batcher for every caller of it. */
export function onePer<K extends object, V>(make: (key: K) => V): (key: K) => V {
  const made = new WeakMap<K, V>();
  return (key) => {
    let value = made.get(key);
    if (value === undefined) made.set(key, (value = make(key)));
    return value;
  };
}
