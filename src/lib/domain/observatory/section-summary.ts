/**
 * A plain summary of any observatory section's data: its scalar values (numbers, booleans, short
 * strings) up to a small depth, with their dotted paths, and the length of its lists. Used where
 * a section has no dedicated presentation (the CLI's readable output, the report's fallback), so
 * that a section added to the registry shows up without further work.
 */
export type SummaryLine = { path: string; value: number | string | boolean | null };

export function summariseSection(
	data: unknown,
	{ maxDepth = 3, maxLines = 40 }: { maxDepth?: number; maxLines?: number } = {}
): SummaryLine[] {
	const lines: SummaryLine[] = [];
	const visit = (value: unknown, path: string, depth: number) => {
		if (lines.length >= maxLines) return;
		if (value === null || value === undefined) {
			if (path) lines.push({ path, value: null });
			return;
		}
		if (typeof value === 'number') {
			lines.push({ path, value: Number.isFinite(value) ? value : null });
			return;
		}
		if (typeof value === 'boolean') {
			lines.push({ path, value });
			return;
		}
		if (typeof value === 'string') {
			if (value.length <= 60) lines.push({ path, value });
			return;
		}
		if (value instanceof Date) {
			lines.push({ path, value: value.toISOString() });
			return;
		}
		if (Array.isArray(value)) {
			lines.push({ path: `${path}[]`, value: value.length });
			return;
		}
		if (typeof value === 'object' && depth < maxDepth) {
			for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
				visit(child, path ? `${path}.${key}` : key, depth + 1);
			}
		}
	};
	visit(data, '', 0);
	return lines;
}
