import type { Logger } from 'pino';
import type { Actor } from '#server/auth/actor.ts';
import type { ProgrammeChoice } from '#server/domain/account/account.service.ts';
import type { Locale } from '$lib/i18n/core.ts';

declare global {
	namespace App {
		interface Error {
			code: string;
			message: string;
			errorId?: string;
		}
		interface Locals {
			requestId: string;
			logger: Logger;
			locale: Locale;
			/** The signed-in user, or null for a visitor. */
			actor: Actor | null;
			sessionToken: string | null;
			/**
			 * The programme of the request's path prefix (`/p/<slug>/…` on a shared host) or the one
			 * whose host (programme_hosts) the request was sent to, or null: public pages then show
			 * the default programme (hooks.server.ts, http/programme-hosts.ts).
			 */
			programmeOfHost?: string | null;
			/** The request's programme prefix (`/p/<slug>`), or null when it was sent without one. */
			programmePrefix?: string | null;
			/** The programmes the signed-in person may act in (the switcher shows them when several). */
			programmes: ProgrammeChoice[];
			/** Several programmes and no valid choice yet: they pick one on /choose-programme. */
			mustChooseProgramme: boolean;
			/** The signed-in instance admin (programmes, suspension, usage on /instance), or null. */
			instanceAdmin: { userId: string; name: string; email: string } | null;
		}
	}
}

export {};
