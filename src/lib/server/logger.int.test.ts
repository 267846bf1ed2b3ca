import { sql } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb } from './db/db.test-utils.ts';
import { captureLogs } from './logger.test-utils.ts';

describeEachDb('logged database errors', (ctx) => {
	test('a failed query logs its SQL but not the values bound to it, nor the values PostgreSQL quotes', async () => {
		const insert = (id: string, email: string) =>
			ctx.db.execute(sql`insert into users (id, name, email) values (${id}, ${'Anna Secret'}, ${email})`);
		await insert('usr_a', 'anna.secret@example.org');
		const errors: unknown[] = [];
		await insert('usr_b', 'anna.secret@example.org').catch((error: unknown) => errors.push(error));
		await ctx.db
			.execute(sql`select id from users where created_at = ${'Zoé-Dupont-1984'}::timestamptz`)
			.catch((error: unknown) => errors.push(error));
		expect(errors).toHaveLength(2);
		// What drizzle and the driver put in the error: the values, in the message and beside it.
		expect(String((errors[0] as Error).message)).toContain('anna.secret@example.org');

		const { logger, text } = captureLogs();
		for (const error of errors) logger.error({ err: error, errorId: 'err-1' }, 'Unexpected error');
		const out = text();
		expect(out).toContain('insert into');
		expect(out).toContain('err-1');
		for (const value of ['anna.secret@example.org', 'Anna Secret', 'Zoé-Dupont-1984'])
			expect(out).not.toContain(value);
	});
});
