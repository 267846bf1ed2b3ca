/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives the same
 * sequence on every machine, so synthetic demo data is reproducible. Not for secrets.
 */
export function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export type Random = {
	/** A float in [0, 1). */
	next: () => number;
	/** An integer in [min, max], both included. */
	int: (min: number, max: number) => number;
	/** True with probability `p`. */
	chance: (p: number) => boolean;
	pick: <T>(items: readonly T[]) => T;
	/** Picks a value with probability proportional to its weight. */
	weighted: <T>(entries: readonly (readonly [T, number])[]) => T;
	/** A shuffled copy. */
	shuffle: <T>(items: readonly T[]) => T[];
};

export function createRandom(seed: number): Random {
	const next = mulberry32(seed);
	const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
	return {
		next,
		int,
		chance: (p) => next() < p,
		pick: (items) => {
			if (items.length === 0) throw new Error('Cannot pick from an empty list');
			return items[Math.floor(next() * items.length)];
		},
		weighted: (entries) => {
			const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
			let target = next() * total;
			for (const [value, weight] of entries) {
				target -= weight;
				if (target < 0) return value;
			}
			return entries[entries.length - 1][0];
		},
		shuffle: (items) => {
			const copy = [...items];
			for (let i = copy.length - 1; i > 0; i--) {
				const j = Math.floor(next() * (i + 1));
				[copy[i], copy[j]] = [copy[j], copy[i]];
			}
			return copy;
		}
	};
}
