import { sql } from 'drizzle-orm';
import type { Db, DbHandle } from '../../db/index.ts';
import { BoundedCache } from '../../cache/bounded-cache.ts';
import { createLogger } from '../../logger.ts';
import type { ObservatoryContext } from './observatory.context.ts';
import type { ObservatoryFilters } from './observatory.schemas.ts';
import type { ObservatoryViewer } from './observatory.types.ts';

/*
 * The cache of the observatory's results: the sections computed for one reader's scope and one
 * filter set are kept in memory until a write changes what the observatory reads, so that the
 * second visit of a page, the API's next call or the report's next print cost no computation.
 *
 * - Key: the programme, the reader's kind (staff read exact figures and advisors' lines;
 *   committee members and funders get the minimum-cell-size rule and no advisor: their results
 *   never come from staff's entry), the normalised filters and the UTC day of `now` (sections
 *   count what is "present", "active" or "open" at now). A committee member's figures do not
 *   depend on their villages (every reader sees the whole programme) nor on the locale (sections
 *   hold keys and numbers, translated by the pages): neither is in the key.
 * - Stored: the context without its cases (what the interfaces print: programme, filters, period,
 *   k) and each section computed so far for that key.
 * - Invalidation: migration 0031 bumps the sequence soho_observatory_version and notifies channel
 *   soho_observatory after every statement that changed rows of a table the observatory reads.
 *   Every process LISTENs (`watchObservatoryVersion`) and drops its entries on a notification;
 *   each call also reads the sequence (`observe`) so that a write of this process is seen at once.
 *   A computation begun before an invalidation is not stored (the generation changed meanwhile).
 * - Age: an entry is served at most `maxAgeMs` (what changes with the clock within a day: open
 *   survey invitations expire at an instant).
 * - Memory: least recently used entries leave first, within SOHO_OBSERVATORY_CACHE_MB (sizes
 *   estimated from the JSON length; the bounded LRU of cache/bounded-cache.ts).
 */

/** What the interfaces read of the context besides the sections: everything but the cases. */
export type ObservatoryHead = Omit<ObservatoryContext, 'allCases' | 'cases'> & {
	/** How many households the filters select. */
	caseCount: number;
};

export function observatoryHeadOf(context: ObservatoryContext): ObservatoryHead {
	const { allCases: _allCases, cases, ...head } = context;
	return { ...head, caseCount: cases.length };
}

type Entry = {
	head: ObservatoryHead;
	sections: Map<string, unknown>;
	bytes: number;
	expiresAt: number;
};

export type ObservatoryCacheOptions = {
	/** Memory for the stored results; 0 turns the cache off. */
	maxBytes: number;
	/** Longest time a result is served (default 10 minutes). */
	maxAgeMs?: number;
	/** The clock, in milliseconds (tests move it). */
	now?: () => number;
};

export const OBSERVATORY_CACHE_MAX_AGE_MS = 10 * 60 * 1000;

/** JSON with object keys sorted, undefined left out: equal filter sets give equal strings. */
function canonicalJson(value: unknown): string {
	return JSON.stringify(value, (_key, item: unknown) =>
		item && typeof item === 'object' && !Array.isArray(item) && !(item instanceof Date)
			? Object.fromEntries(
					Object.entries(item as Record<string, unknown>)
						.filter(([, inner]) => inner !== undefined)
						.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
				)
			: item
	);
}

/** The cache key of a reader's scope, a filter set (validated and normalised) and a day. */
export function observatoryCacheKey({
	viewer,
	filters,
	now
}: {
	viewer: ObservatoryViewer;
	filters: ObservatoryFilters;
	now: Date;
}): string {
	return [viewer.programmeId, viewer.kind, now.toISOString().slice(0, 10), canonicalJson(filters)].join('\n');
}

/** Observatory results in a bounded LRU (cache/bounded-cache.ts), kept in step with the database's version. */
export class ObservatoryCache {
	/** Sections served from memory, and sections computed (tests count these, never time). */
	readonly stats = { hits: 0, computed: 0 };
	#store: BoundedCache<Entry>;
	#version: number | null = null;

	constructor({
		maxBytes,
		maxAgeMs = OBSERVATORY_CACHE_MAX_AGE_MS,
		now = () => Date.now()
	}: ObservatoryCacheOptions) {
		this.#store = new BoundedCache<Entry>({ maxBytes, maxAgeMs, now });
	}

	get maxBytes(): number {
		return this.#store.maxBytes;
	}

	get maxAgeMs(): number {
		return this.#store.maxAgeMs;
	}

	get now(): () => number {
		return this.#store.now;
	}

	get isEnabled(): boolean {
		return this.#store.isEnabled;
	}

	get generation(): number {
		return this.#store.generation;
	}

	get size(): number {
		return this.#store.size;
	}

	get bytes(): number {
		return this.#store.bytes;
	}

	/** Records the database's version; a version other than the known one drops every entry. */
	observe(version: number): void {
		if (this.#version === version) return;
		if (this.#version !== null) this.invalidate();
		this.#version = version;
	}

	/**
	 * A notification: drops every entry even when the version is the known one (a call may have
	 * read the number while the writing transaction was still open, and computed without its rows).
	 */
	notified(version: number | null): void {
		this.invalidate();
		if (version !== null) this.#version = version;
	}

	/** Drops every entry; computations under way will not be stored. */
	invalidate(): void {
		this.#store.invalidate();
	}

	/** The head and the asked sections of a key (marked most recently used), with the ones missing. */
	get(
		key: string,
		names: readonly string[]
	): { head: ObservatoryHead; sections: Record<string, unknown>; missing: string[] } | null {
		const entry = this.#store.get(key);
		if (!entry) return null;
		const sections: Record<string, unknown> = {};
		const missing: string[] = [];
		for (const name of names) {
			if (entry.sections.has(name)) sections[name] = structuredClone(entry.sections.get(name));
			else missing.push(name);
		}
		this.stats.hits += names.length - missing.length;
		return { head: structuredClone(entry.head), sections, missing };
	}

	/**
	 * Stores sections computed while the cache was at `generation` (beside those already stored
	 * for the key); refused (false) when an invalidation came meanwhile, or when the entry alone
	 * would take over an eighth of the cache.
	 */
	set(key: string, head: ObservatoryHead, sections: Record<string, unknown>, generation: number): boolean {
		if (!this.isEnabled || generation !== this.generation) return false;
		const now = this.now();
		const previous = this.#store.peek(key);
		const live = previous && previous.expiresAt > now ? previous : null;
		const stored = new Map(live ? live.sections : []);
		for (const [name, data] of Object.entries(sections)) stored.set(name, structuredClone(data));
		return this.#store.set(
			key,
			{
				head: structuredClone(head),
				sections: stored,
				bytes: 2 * canonicalJson({ head, sections: Object.fromEntries(stored) }).length + 256,
				expiresAt: live ? live.expiresAt : now + this.maxAgeMs
			},
			generation
		);
	}

	delete(key: string): void {
		this.#store.delete(key);
	}
}

const log = createLogger({ namespace: 'observatory:cache' });

/** The channel of migration 0031's NOTIFY; the payload is the new version and the table written. */
export const OBSERVATORY_CACHE_CHANNEL = 'soho_observatory';

/** The version of what the observatory reads (0 before the first write): migration 0031's sequence. */
export async function readObservatoryVersion({ db }: { db: Db }): Promise<number> {
	const result = await db.execute(
		sql`select case when is_called then last_value else 0 end as version from soho_observatory_version`
	);
	const [row] = (result as unknown as { rows: { version: string | number }[] }).rows;
	return Number(row?.version ?? 0);
}

/**
 * Keeps a process's cache in step with the database: drops it when any process notifies a new
 * version, and when the LISTEN connection is lost (notifications may have been missed).
 */
export async function watchObservatoryVersion(
	{ cache }: { cache: ObservatoryCache },
	{ database }: { database: Pick<DbHandle, 'db' | 'listen'> }
): Promise<{ stop: () => Promise<void> }> {
	cache.observe(await readObservatoryVersion(database));
	const stop = await database.listen(OBSERVATORY_CACHE_CHANNEL, (payload) => {
		// "<version> <table>"; null: the connection was lost.
		const [version, table] = payload === null ? [null, null] : payload.split(' ');
		const number = version === null ? Number.NaN : Number(version);
		log.debug({ version: number, table }, 'Observatory data changed');
		cache.notified(Number.isFinite(number) ? number : null);
	});
	return { stop };
}
