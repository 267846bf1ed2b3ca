import { isHttpError } from '@sveltejs/kit';
import { describe, expect, test } from 'vitest';
import { assertValidFormData, assertValidUrl, hasInvalidCharacters } from './input-guard.ts';

const codeOf = (work: () => void): string | null => {
	try {
		work();
		return null;
	} catch (error) {
		if (isHttpError(error) && error.status === 400) return error.body.code;
		throw error;
	}
};

describe('input PostgreSQL cannot store', () => {
	test('NUL and lone surrogates are invalid; accents, emoji and line breaks are not', () => {
		for (const text of ['A\u0000B', 'x\uD800', '\uDC00y', 'a\uDBFFb'])
			expect(hasInvalidCharacters(text)).toBe(true);
		for (const text of ['Zoé Łódź', 'ok 😀', 'line\r\nbreak\ttab', ''])
			expect(hasInvalidCharacters(text)).toBe(false);
	});

	test('a URL with NUL in its path or query, or a broken escape, is a 400 invalid_characters', () => {
		expect(codeOf(() => assertValidUrl(new URL('http://x/villages?q=%00')))).toBe('input.invalid_characters');
		expect(codeOf(() => assertValidUrl(new URL('http://x/backoffice/cases/cas_%00')))).toBe(
			'input.invalid_characters'
		);
		expect(codeOf(() => assertValidUrl(new URL('http://x/a/%E0%A4%A')))).toBe('input.invalid_characters');
		expect(
			codeOf(() => assertValidUrl(new URL('http://x/villages/auch?q=%C3%A9t%C3%A9&lang=fr')))
		).toBeNull();
	});

	test('a form field, its name or a file name with NUL is a 400 invalid_characters', () => {
		const form = (name: string, value: string | File) => {
			const data = new FormData();
			data.append(name, value);
			return data;
		};
		expect(codeOf(() => assertValidFormData(form('firstName', 'A\u0000B')))).toBe('input.invalid_characters');
		expect(codeOf(() => assertValidFormData(form('a\u0000', 'x')))).toBe('input.invalid_characters');
		expect(codeOf(() => assertValidFormData(form('f', new File(['x'], 'a\u0000.csv'))))).toBe(
			'input.invalid_characters'
		);
		expect(codeOf(() => assertValidFormData(form('firstName', 'Hélène')))).toBeNull();
	});
});
