import { error, isHttpError, type RequestEvent } from '@sveltejs/kit';
import { translate, type Locale } from '../../i18n/index.ts';
import { inputInvalidCharacters, inputMalformedBody } from './input.errors.ts';

/*
 * Bytes no page can use, refused once for every route: PostgreSQL refuses NUL in text (and
 * PGlite and pg answer with an error, a 500), and a lone UTF-16 surrogate cannot be encoded
 * as UTF-8. A URL (path and query) is checked before routing reaches a page or endpoint;
 * a form body is checked when the action or endpoint reads it (`request.formData()`), which
 * also turns a malformed multipart or urlencoded body into a 400 instead of a TypeError.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when text holds a character PostgreSQL cannot store in a text column. */
export function hasInvalidCharacters(text: string): boolean {
	return text.includes('\0') || LONE_SURROGATE.test(text);
}

const refuseCharacters = (where: string): never =>
	error(400, {
		code: inputInvalidCharacters.code,
		message: `The request's ${where} holds a character that cannot be stored (NUL or a lone surrogate)`
	});

const refuseBody = (): never =>
	error(400, { code: inputMalformedBody.code, message: 'The form body of the request cannot be read' });

/** Throws a 400 when the URL's path or query holds characters PostgreSQL refuses or malformed escapes. */
export function assertValidUrl(url: URL): void {
	for (const segment of url.pathname.split('/')) {
		let decoded: string;
		try {
			decoded = decodeURIComponent(segment);
		} catch {
			refuseCharacters('path');
		}
		if (hasInvalidCharacters(decoded!)) refuseCharacters('path');
	}
	for (const [name, value] of url.searchParams) {
		if (hasInvalidCharacters(name) || hasInvalidCharacters(value)) refuseCharacters('query');
	}
}

/** Throws a 400 when a form field's name, text or file name holds characters PostgreSQL refuses. */
export function assertValidFormData(data: FormData): void {
	for (const [name, value] of data) {
		const text = typeof value === 'string' ? value : value.name;
		if (hasInvalidCharacters(name) || hasInvalidCharacters(text)) refuseCharacters('form');
	}
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * The 400 answered for a URL PostgreSQL could not read, translated: JSON for API clients, a
 * plain page otherwise (routing has not run, so the site's error page cannot be rendered).
 */
function badUrlResponse(code: string, locale: Locale, accept: string | null): Response {
	const message = translate(locale, `error_${code.replace(/\./g, '_')}`);
	if (accept?.includes('application/json') && !accept.includes('text/html')) {
		return Response.json({ error: { code, message } }, { status: 400 });
	}
	const title = translate(locale, 'common_error_status', { status: 400 });
	return new Response(
		`<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/">soho</a></p></body></html>`,
		{ status: 400, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } }
	);
}

/**
 * Checks the URL now (a 400 response when it is refused, null otherwise), and makes
 * `request.formData()` throw a 400 for a body it cannot read or a field PostgreSQL would
 * refuse: every action, `parseForm` and endpoint reads the body that way.
 */
export function guardRequestInput(event: RequestEvent, locale: Locale): Response | null {
	try {
		assertValidUrl(event.url);
	} catch (refusal) {
		if (!isHttpError(refusal)) throw refusal;
		return badUrlResponse(refusal.body.code, locale, event.request.headers.get('accept'));
	}
	const request = event.request;
	const readFormData = request.formData.bind(request);
	Object.defineProperty(request, 'formData', {
		configurable: true,
		value: async (): Promise<FormData> => {
			let data: FormData;
			try {
				data = await readFormData();
			} catch {
				refuseBody();
			}
			assertValidFormData(data!);
			return data!;
		}
	});
	return null;
}
