import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { catalogueKeys, formatMessage, negotiateLocale, translate } from './index.ts';
import { intlLocale } from './core.ts';

test('every French message exists in English and there are no orphan English keys', () => {
	const fr = new Set(catalogueKeys.fr);
	const en = new Set(catalogueKeys.en);
	expect([...fr].filter((key) => !en.has(key))).toEqual([]);
	expect([...en].filter((key) => !fr.has(key))).toEqual([]);
});

test('every error code defined in the server has a message in both languages', () => {
	const codes = new Set<string>();
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) walk(path);
			else if (path.endsWith('.ts')) {
				for (const m of readFileSync(path, 'utf8').matchAll(/defineError\(\s*'([a-z_.]+)'/g)) codes.add(m[1]);
			}
		}
	};
	walk('src/lib/server');
	const missing = [...codes]
		.map((code) => `error_${code.replace(/\./g, '_')}`)
		.filter((key) => !catalogueKeys.fr.includes(key));
	expect(missing).toEqual([]);
});

test('placeholders and plurals are formatted for the locale', () => {
	expect(
		formatMessage('fr', '{count, plural, =0 {aucune commune} one {# commune} other {# communes}}', {
			count: 1250
		})
	).toBe(`${new Intl.NumberFormat('fr').format(1250)} communes`);
	expect(formatMessage('en', '{count, plural, one {# commune} other {# communes}}', { count: 1 })).toBe(
		'1 commune'
	);
	expect(formatMessage('en', 'Hello {name}', { name: 'Anna' })).toBe('Hello Anna');
	expect(translate('en', 'no_such_key')).toBe('no_such_key');
});

test('a figure hidden by the minimum cell size (NaN) reads "hidden", never "NaN"', () => {
	expect(formatMessage('fr', '{count} à risque', { count: Number.NaN })).toBe('masqué à risque');
	expect(
		formatMessage('en', '{count, plural, one {# at risk} other {# at risk}}', { count: Number.NaN })
	).toBe('hidden at risk');
});

test('the locale is negotiated from Accept-Language, French by default', () => {
	expect(negotiateLocale('en-GB,en;q=0.9,fr;q=0.8')).toBe('en');
	expect(negotiateLocale('nl-NL,nl;q=0.9,en;q=0.5')).toBe('en');
	expect(negotiateLocale('de')).toBe('fr');
	expect(negotiateLocale(undefined)).toBe('fr');
});

test('English dates are British (5 May 2012), French dates French', () => {
	const day = new Date('2012-05-05T12:00:00Z');
	const long = (locale: 'fr' | 'en') =>
		new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'long', timeZone: 'UTC' }).format(day);
	expect(long('en')).toBe('5 May 2012');
	expect(long('fr')).toBe('5 mai 2012');
});
