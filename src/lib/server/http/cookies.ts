import type { Cookies } from '@sveltejs/kit';
import { parseSetCookieHeader } from 'better-auth/cookies';

/** Copies the Set-Cookie headers of a better-auth call onto SvelteKit's response cookies. */
export function forwardSetCookies(headers: Headers, cookies: Cookies): void {
	for (const line of headers.getSetCookie()) {
		for (const [name, attributes] of parseSetCookieHeader(line)) {
			const maxAge = attributes['max-age'] === undefined ? undefined : Number(attributes['max-age']);
			cookies.set(name, attributes.value, {
				path: attributes.path ?? '/',
				httpOnly: attributes.httponly ?? true,
				secure: attributes.secure ?? false,
				sameSite: (attributes.samesite?.toLowerCase() as 'lax' | 'strict' | 'none' | undefined) ?? 'lax',
				maxAge: maxAge !== undefined && maxAge <= 0 ? 0 : maxAge,
				...(attributes.expires && maxAge === undefined ? { expires: new Date(attributes.expires) } : {})
			});
		}
	}
}
