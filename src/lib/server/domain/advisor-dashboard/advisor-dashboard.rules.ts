import type { DashboardPeriod } from './advisor-dashboard.schemas.ts';

const DAY_MS = 86_400_000;

/** The first instant of a period ending at `now`; null for the whole history. */
export function periodStart(period: DashboardPeriod, now: Date): Date | null {
	switch (period) {
		case '90d':
			return new Date(now.getTime() - 90 * DAY_MS);
		case '12m':
			return new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), now.getUTCDate()));
		case '36m':
			return new Date(Date.UTC(now.getUTCFullYear() - 3, now.getUTCMonth(), now.getUTCDate()));
		case 'all':
			return null;
	}
}
