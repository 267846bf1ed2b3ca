import { type RequestEvent } from '@sveltejs/kit';
import { DomainError } from '#server/errors.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { ExportFile } from '#server/domain/observatory/exports.service.ts';
import { ValidationError } from '#server/validation.ts';
import { seeOther } from '#server/http/redirects.ts';

/** A file as a download (never cached: figures change, the research extract is personal data). */
export function download(file: ExportFile): Response {
	return new Response(file.body as BodyInit, {
		headers: {
			'content-type': file.contentType,
			'content-disposition': `attachment; filename="${file.fileName}"`,
			'cache-control': 'private, no-store'
		}
	});
}

/**
 * A refused download goes back to the exports page, which says why (invalid filters or k, too
 * few households); a refused reader gets the error page.
 */
export function backToExports(
	event: Pick<RequestEvent, 'url'>,
	err: unknown,
	extra: Record<string, string> = {}
): never {
	const params = new URLSearchParams(event.url.searchParams);
	for (const key of ['section', 'format']) params.delete(key);
	for (const [key, value] of Object.entries(extra)) params.set(key, value);
	if (err instanceof ValidationError) {
		const issue = err.issues[0];
		params.set('problem', issue?.code ?? 'validation.invalid_input');
		seeOther(`/backoffice/observatory/exports?${params}`);
	}
	if (err instanceof DomainError && err.kind === 'invalid') {
		params.set('problem', err.code);
		for (const [key, value] of Object.entries(err.details))
			if (typeof value === 'string' || typeof value === 'number') params.set(`p_${key}`, String(value));
		seeOther(`/backoffice/observatory/exports?${params}`);
	}
	throwHttpError(err);
}
