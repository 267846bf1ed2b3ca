import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { rateLimitHitsTable } from '../../db/schema/index.ts';
import { expectDomainError } from '../../testing/expectations.ts';
import { consumeRateLimits, purgeRateLimitHits, takeRateLimits } from './rate-limit.service.ts';

describeEachDb('rate limits', (ctx) => {
	const rule = (key: string, limit = 5) => ({ key, limit, windowSeconds: 3600 });

	test('30 simultaneous requests under a limit of 5: exactly 5 pass, the rest are told when to retry', async () => {
		const now = new Date('2026-03-01T10:00:00Z');
		const outcomes = await Promise.all(
			Array.from({ length: 30 }, () =>
				takeRateLimits({ rules: [rule('apply.address:203.0.113.9')] }, { db: ctx.db, now })
			)
		);
		expect(outcomes.filter((o) => o.isAllowed)).toHaveLength(5);
		expect(outcomes.filter((o) => !o.isAllowed)).toHaveLength(25);
		expect(outcomes.find((o) => !o.isAllowed)).toMatchObject({ retryAfterMinutes: 60 });
		// Another address is not affected; an hour later the first one may submit again.
		expect(
			await takeRateLimits({ rules: [rule('apply.address:203.0.113.10')] }, { db: ctx.db, now })
		).toEqual({ isAllowed: true });
		const later = new Date(now.getTime() + 3601_000);
		expect(
			await takeRateLimits({ rules: [rule('apply.address:203.0.113.9')] }, { db: ctx.db, now: later })
		).toEqual({ isAllowed: true });
	});

	test('a request refused by one of its limits counts against none, and old hits are forgotten', async () => {
		const now = new Date('2026-03-01T10:00:00Z');
		await consumeRateLimits({ rules: [rule('mail.recipient:victim@example.net', 1)] }, { db: ctx.db, now });
		const error = await expectDomainError(
			consumeRateLimits(
				{ rules: [rule('apply.address:198.51.100.1'), rule('mail.recipient:victim@example.net', 1)] },
				{ db: ctx.db, now }
			),
			'rate_limit.exceeded'
		);
		expect(error.details).toEqual({ retryAfterMinutes: 60 });
		const keys = (await ctx.db.select().from(rateLimitHitsTable)).map((hit) => hit.key);
		expect(keys).toEqual(['mail.recipient:victim@example.net']);

		const later = new Date(now.getTime() + 2 * 3600_000);
		await consumeRateLimits(
			{ rules: [rule('mail.recipient:victim@example.net', 1)] },
			{ db: ctx.db, now: later }
		);
		expect(await ctx.db.select().from(rateLimitHitsTable)).toHaveLength(1);
	});

	test('hits taken in a transaction that rolls back are not counted', async () => {
		const now = new Date('2026-03-01T10:00:00Z');
		await expect(
			ctx.db.transaction(async (tx) => {
				await consumeRateLimits({ rules: [rule('event.register.address:192.0.2.1', 1)] }, { db: tx, now });
				throw new Error('the registration failed');
			})
		).rejects.toThrow('the registration failed');
		await consumeRateLimits({ rules: [rule('event.register.address:192.0.2.1', 1)] }, { db: ctx.db, now });
	});

	test('the nightly purge deletes the hits no window counts any more', async () => {
		const now = new Date('2026-03-01T10:00:00Z');
		const old = new Date(now.getTime() - 3 * 24 * 3600_000);
		await takeRateLimits({ rules: [rule('apply.address:192.0.2.7')] }, { db: ctx.db, now: old });
		await takeRateLimits({ rules: [rule('apply.address:192.0.2.8')] }, { db: ctx.db, now });
		expect(await purgeRateLimitHits({}, { db: ctx.db, now })).toEqual({ deleted: 1 });
		const keys = (await ctx.db.select().from(rateLimitHitsTable)).map((hit) => hit.key);
		expect(keys).toEqual(['apply.address:192.0.2.8']);
	});
});
