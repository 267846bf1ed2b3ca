import { describe, expect, test } from 'vitest';
import { createRandom, mulberry32 } from './random.ts';

describe('seeded random', () => {
	test('the same seed gives the same sequence, another seed a different one', () => {
		const a = mulberry32(42);
		const b = mulberry32(42);
		const c = mulberry32(43);
		const first = Array.from({ length: 5 }, () => a());
		expect(Array.from({ length: 5 }, () => b())).toEqual(first);
		expect(Array.from({ length: 5 }, () => c())).not.toEqual(first);
	});

	test('the sequence is the published mulberry32 one, so it is stable across versions', () => {
		const next = mulberry32(1);
		expect(next()).toBeCloseTo(0.6270739405881613, 12);
		expect(next()).toBeCloseTo(0.002735721180215478, 12);
	});

	test('values stay in range and weights are respected', () => {
		const random = createRandom(7);
		const counts = { a: 0, b: 0 };
		for (let i = 0; i < 10_000; i++) {
			const value = random.next();
			expect(value >= 0 && value < 1).toBe(true);
			const n = random.int(3, 5);
			expect([3, 4, 5]).toContain(n);
			counts[
				random.weighted([
					['a', 3],
					['b', 1]
				] as const)
			]++;
		}
		expect(counts.a / 10_000).toBeGreaterThan(0.72);
		expect(counts.a / 10_000).toBeLessThan(0.78);
		expect(random.shuffle([1, 2, 3, 4]).sort()).toEqual([1, 2, 3, 4]);
		expect(() => random.pick([])).toThrow();
	});
});
