import { sql } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb } from './db.test-utils.ts';
import { pingDb } from './index.ts';

describeEachDb('database', (ctx) => {
	test('the migrations create the tables and enable unaccent and pg_trgm', async () => {
		expect(await pingDb(ctx.db)).toBe(true);
		const result = await ctx.db.execute<{ a: string; s: number }>(
			sql`select unaccent('Éauze') as a, similarity('Lectoure', 'Lectour') as s`
		);
		const row = (result as unknown as { rows: { a: string; s: number }[] }).rows[0];
		expect(row.a).toBe('Eauze');
		expect(Number(row.s)).toBeGreaterThan(0.5);
	});

	test('migrating twice changes nothing', async () => {
		await ctx.handle.migrate();
		const result = await ctx.db.execute(sql`select count(*)::int as n from programmes`);
		expect((result as unknown as { rows: { n: number }[] }).rows[0].n).toBe(0);
	});
});
