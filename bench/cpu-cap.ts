/**
 * A CPU quota on one process (Linux control groups), so that a benchmark can give each app node
 * the share of a core it would have on a machine of its own while PostgreSQL, the proxy and the
 * load generator keep the rest of this machine (`npm run bench processes`: on two cores, two
 * uncapped nodes, PostgreSQL, the proxy and autocannon fight for the same cores and the ratio
 * measures the machine, not the app).
 *
 * Uses the cgroup v2 hierarchy when its `cpu` controller is enabled at /sys/fs/cgroup, else the
 * v1 `cpu` hierarchy at /sys/fs/cgroup/cpu. Needs root; where neither can be written, `capCpu`
 * returns null and the caller says so.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PERIOD_US = 100_000;

export type CpuCap = {
	/** The quota in cores (0.5: half a core). */
	readonly cores: number;
	/** Lifts the quota (the process runs free) or sets it again. */
	set(isCapped: boolean): void;
	/** Removes the group once the process has exited. */
	remove(): void;
};

type Hierarchy = {
	root: string;
	procs: string;
	write: (dir: string, cores: number | null) => void;
};

function hierarchy(): Hierarchy | null {
	const v2 = '/sys/fs/cgroup';
	try {
		if (readFileSync(join(v2, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('cpu')) {
			return {
				root: v2,
				procs: 'cgroup.procs',
				write: (dir, cores) =>
					writeFileSync(
						join(dir, 'cpu.max'),
						cores === null ? `max ${PERIOD_US}` : `${Math.round(cores * PERIOD_US)} ${PERIOD_US}`
					)
			};
		}
	} catch {
		// no cgroup v2 with a cpu controller here
	}
	const v1 = '/sys/fs/cgroup/cpu';
	if (existsSync(join(v1, 'cpu.cfs_quota_us')))
		return {
			root: v1,
			procs: 'cgroup.procs',
			write: (dir, cores) => {
				writeFileSync(join(dir, 'cpu.cfs_period_us'), String(PERIOD_US));
				writeFileSync(
					join(dir, 'cpu.cfs_quota_us'),
					cores === null ? '-1' : String(Math.round(cores * PERIOD_US))
				);
			}
		};
	return null;
}

/** Puts process `pid` (all its threads) under a quota of `cores`; null where this machine does not allow it. */
export function capCpu(pid: number, cores: number): CpuCap | null {
	const found = hierarchy();
	if (!found) return null;
	const dir = join(found.root, `soho-bench-${pid}`);
	try {
		mkdirSync(dir, { recursive: true });
		found.write(dir, cores);
		writeFileSync(join(dir, found.procs), String(pid));
	} catch {
		return null;
	}
	return {
		cores,
		set: (isCapped) => found.write(dir, isCapped ? cores : null),
		remove: () => {
			try {
				rmdirSync(dir);
			} catch {
				// still holds a process: left for the system to clean
			}
		}
	};
}
