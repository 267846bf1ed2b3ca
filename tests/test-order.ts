import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds each test file took in a recorded run (`node scripts/test-durations.js --write` after
 * `npm test`, from the JSON reports of test-results/), by path from the repository's root.
 */
const DURATIONS_FILE = new URL('./durations.json', import.meta.url);

function readDurations(): Record<string, number> {
	try {
		return JSON.parse(readFileSync(DURATIONS_FILE, 'utf8')) as Record<string, number>;
	} catch {
		return {};
	}
}

/**
 * Starts the files known to be long first, longest first, so that the last file to finish is a short
 * one: a 10-minute file started last keeps one worker busy after the others are done. CI runs a clean
 * clone, without Vitest's own cache of durations, where Vitest would only start larger files first.
 * Files missing from tests/durations.json follow, in Vitest's order. Projects keep Vitest's order.
 */
export class LongestFirstSequencer extends BaseSequencer {
	override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
		const sorted = await super.sort(files);
		const durations = readDurations();
		const projectRank = new Map<string, number>();
		for (const spec of sorted)
			if (!projectRank.has(spec.project.name)) projectRank.set(spec.project.name, projectRank.size);
		const root = this.ctx.config.root;
		const seconds = (spec: TestSpecification) => durations[relative(root, spec.moduleId)] ?? -1;
		return sorted
			.map((spec, index) => ({ spec, index, seconds: seconds(spec) }))
			.sort(
				(a, b) =>
					(projectRank.get(a.spec.project.name) ?? 0) - (projectRank.get(b.spec.project.name) ?? 0) ||
					b.seconds - a.seconds ||
					a.index - b.index
			)
			.map(({ spec }) => spec);
	}
}
