import { describe, expect, test } from 'vitest';
import { catalogueKeys } from '../../../i18n/index.ts';
import { MAIL_KINDS, mailKindLabelKey } from './mail.schemas.ts';

describe('mail kinds', () => {
	test('the outbox names every kind of message in words, in French and in English', () => {
		const missing = MAIL_KINDS.flatMap((kind) =>
			(['fr', 'en'] as const)
				.filter((locale) => !catalogueKeys[locale].includes(mailKindLabelKey(kind)))
				.map((locale) => `${locale}: ${mailKindLabelKey(kind)}`)
		);
		expect(missing).toEqual([]);
	});

	test('every kind reads <area>.<reason>, once', () => {
		for (const kind of MAIL_KINDS) expect(kind).toMatch(/^[a-z_]+\.[a-z_]+$/);
		expect(new Set(MAIL_KINDS).size).toBe(MAIL_KINDS.length);
	});
});
