import { describe, expect, test } from 'vitest';
import { BoundedCache, type BoundedCacheEntry } from './bounded-cache.ts';

type Item = BoundedCacheEntry & { value: string };

/** A cache on a clock the test moves. */
function cacheOf(maxBytes: number, maxAgeMs = 1000) {
	const clock = { ms: 0 };
	const cache = new BoundedCache<Item>({ maxBytes, maxAgeMs, now: () => clock.ms });
	const item = (value: string, bytes = 10): Item => ({ value, bytes, expiresAt: clock.ms + maxAgeMs });
	return { cache, clock, item };
}

describe('BoundedCache', () => {
	test('an entry is served until it expires, then leaves and frees its bytes', () => {
		const { cache, clock, item } = cacheOf(1000);
		expect(cache.set('a', item('A'), cache.generation)).toBe(true);
		expect(cache.get('a')?.value).toBe('A');
		expect(cache.bytes).toBe(10);
		clock.ms = 999;
		expect(cache.get('a')?.value).toBe('A');
		clock.ms = 1000;
		expect(cache.get('a')).toBeNull();
		expect(cache.size).toBe(0);
		expect(cache.bytes).toBe(0);
	});

	test('the least recently used entries leave first when the bytes pass the limit', () => {
		const { cache, item } = cacheOf(240);
		const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
		for (const key of keys) expect(cache.set(key, item(key, 30), cache.generation)).toBe(true);
		expect(cache.bytes).toBe(240);
		cache.get('a');
		cache.set('i', item('i', 30), cache.generation);
		expect(cache.get('b')).toBeNull();
		expect(cache.size).toBe(8);
		expect(cache.bytes).toBe(240);
		expect(cache.get('a')?.value).toBe('a');
		expect(cache.get('i')?.value).toBe('i');
	});

	test('replacing or deleting a key keeps the byte count exact; peek neither marks nor expires', () => {
		const { cache, clock, item } = cacheOf(1000);
		cache.set('a', item('A', 40), cache.generation);
		cache.set('a', item('A2', 25), cache.generation);
		expect(cache.size).toBe(1);
		expect(cache.bytes).toBe(25);
		clock.ms = 5000;
		expect(cache.peek('a')?.value).toBe('A2');
		expect(cache.bytes).toBe(25);
		cache.delete('a');
		cache.delete('missing');
		expect(cache.size).toBe(0);
		expect(cache.bytes).toBe(0);
	});

	test('an invalidation drops every entry and refuses what was computed before it', () => {
		const { cache, item } = cacheOf(1000);
		const before = cache.generation;
		cache.set('a', item('A'), before);
		cache.invalidate();
		expect(cache.generation).toBe(before + 1);
		expect(cache.size).toBe(0);
		expect(cache.bytes).toBe(0);
		expect(cache.set('b', item('B'), before)).toBe(false);
		expect(cache.set('b', item('B'), cache.generation)).toBe(true);
	});

	test('an entry over an eighth of the memory is refused; 0 bytes turns the cache off', () => {
		const { cache, item } = cacheOf(80);
		expect(cache.set('big', item('big', 11), cache.generation)).toBe(false);
		expect(cache.set('fits', item('fits', 10), cache.generation)).toBe(true);
		const off = cacheOf(0);
		expect(off.cache.isEnabled).toBe(false);
		expect(off.cache.set('a', off.item('A', 0), off.cache.generation)).toBe(false);
	});
});
