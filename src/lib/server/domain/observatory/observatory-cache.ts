import type { ObservatoryFilters } from './observatory.schemas.ts';
import type { ObservatoryViewer } from './observatory.types.ts';

/*
 * A cache of computed observatory sections, in the memory of the app process. An entry is keyed
 * by programme, section, filters, reader kind and a data version the caller passes: a write that
 * changes what the observatory reads changes the programme's version, so a new version never
 * reads an entry computed before the write (old versions age out). Entries also expire after
 * `maxAgeMs`, because some figures depend on the time of day (invitations still open, durations
 * to today) and no write marks that.
 */

export type ObservatoryCacheKey = {
	programmeId: string;
	section: string;
	filters: ObservatoryFilters;
	/** Staff, committee members and funders read different figures (advisors, hidden small cells). */
	viewerKind: ObservatoryViewer['kind'];
	/** The programme's data version, as the caller knows it. */
	version: string | number;
};

export type ObservatoryCache = {
	get: (key: ObservatoryCacheKey, now?: number) => unknown;
	set: (key: ObservatoryCacheKey, value: unknown, now?: number) => void;
	/** Entries held (expired ones included until they are read or pushed out). */
	size: () => number;
	clear: () => void;
};

/** What the section services take to read and fill a cache: the store and the programme's version. */
export type ObservatoryCacheUse = { store: ObservatoryCache; version: string | number };

export const DEFAULT_OBSERVATORY_CACHE_ENTRIES = 500;
export const DEFAULT_OBSERVATORY_CACHE_MAX_AGE_MS = 5 * 60_000;

/**
 * The text an entry is stored under: the same filters give the same text whatever the order of
 * their fields, and an unset filter is the same as an absent one.
 */
export function observatoryCacheKey(key: ObservatoryCacheKey): string {
	const filters = Object.entries(key.filters)
		.filter(([, value]) => value !== undefined && value !== null && value !== '')
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return JSON.stringify([key.programmeId, String(key.version), key.viewerKind, key.section, filters]);
}

/**
 * An in-memory cache of at most `maxEntries` sections (the least recently read goes first), each
 * kept `maxAgeMs` at most.
 */
export function createObservatoryCache({
	maxEntries = DEFAULT_OBSERVATORY_CACHE_ENTRIES,
	maxAgeMs = DEFAULT_OBSERVATORY_CACHE_MAX_AGE_MS
}: { maxEntries?: number; maxAgeMs?: number } = {}): ObservatoryCache {
	// A Map iterates in insertion order: re-inserting on read keeps the least recent first.
	const entries = new Map<string, { value: unknown; storedAt: number }>();
	return {
		get(key, now = Date.now()) {
			const text = observatoryCacheKey(key);
			const entry = entries.get(text);
			if (!entry) return undefined;
			entries.delete(text);
			if (now - entry.storedAt > maxAgeMs) return undefined;
			entries.set(text, entry);
			return entry.value;
		},
		set(key, value, now = Date.now()) {
			const text = observatoryCacheKey(key);
			entries.delete(text);
			entries.set(text, { value, storedAt: now });
			while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
		},
		size: () => entries.size,
		clear: () => entries.clear()
	};
}
