/*
 * A bounded least-recently-used store, shared by the in-memory caches (public pages, observatory
 * results): entries are weighed in bytes and leave, oldest use first, when their sum passes
 * `maxBytes`; each entry carries its expiry; every invalidation advances a generation, and a value
 * computed under an older generation is not stored (it may predate the write that invalidated).
 */

/** What the store needs of an entry: its estimated weight and the instant it stops being served. */
export type BoundedCacheEntry = {
	bytes: number;
	/** Milliseconds (the cache's clock) after which the entry is no longer served. */
	expiresAt: number;
};

export type BoundedCacheOptions = {
	/** Memory for the stored entries; 0 turns the cache off. */
	maxBytes: number;
	/** Longest time an entry is served (what the owner puts in `expiresAt`). */
	maxAgeMs: number;
	/** The clock, in milliseconds (tests move it). */
	now?: () => number;
};

/** A bounded LRU by bytes, with expiry and a generation that every invalidation advances. */
export class BoundedCache<E extends BoundedCacheEntry> {
	readonly maxBytes: number;
	readonly maxAgeMs: number;
	readonly now: () => number;
	#entries = new Map<string, E>();
	#bytes = 0;
	#generation = 0;

	constructor({ maxBytes, maxAgeMs, now = () => Date.now() }: BoundedCacheOptions) {
		this.maxBytes = maxBytes;
		this.maxAgeMs = maxAgeMs;
		this.now = now;
	}

	get isEnabled(): boolean {
		return this.maxBytes > 0;
	}

	/** Advanced by every invalidation: a value computed before it must not be stored. */
	get generation(): number {
		return this.#generation;
	}

	get size(): number {
		return this.#entries.size;
	}

	get bytes(): number {
		return this.#bytes;
	}

	/** The stored entry of a key as it is (expired or not), without marking it used. */
	peek(key: string): E | undefined {
		return this.#entries.get(key);
	}

	/** The live entry of a key (marked most recently used), or null; an expired entry leaves. */
	get(key: string): E | null {
		const entry = this.#entries.get(key);
		if (!entry) return null;
		this.#entries.delete(key);
		if (entry.expiresAt <= this.now()) {
			this.#bytes -= entry.bytes;
			return null;
		}
		this.#entries.set(key, entry);
		return entry;
	}

	/**
	 * Stores an entry computed while the cache was at `generation`; refused (false) when an
	 * invalidation came meanwhile, or when the entry alone would take over an eighth of the cache.
	 */
	set(key: string, entry: E, generation: number): boolean {
		if (!this.isEnabled || generation !== this.#generation) return false;
		if (entry.bytes > this.maxBytes / 8) return false;
		this.delete(key);
		this.#entries.set(key, entry);
		this.#bytes += entry.bytes;
		for (const [oldest, old] of this.#entries) {
			if (this.#bytes <= this.maxBytes) break;
			this.#entries.delete(oldest);
			this.#bytes -= old.bytes;
		}
		return true;
	}

	delete(key: string): void {
		const entry = this.#entries.get(key);
		if (!entry) return;
		this.#entries.delete(key);
		this.#bytes -= entry.bytes;
	}

	/** Drops every entry and advances the generation: values being computed will not be stored. */
	invalidate(): void {
		this.#generation += 1;
		this.#entries.clear();
		this.#bytes = 0;
	}
}
