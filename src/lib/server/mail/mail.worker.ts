import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { deliverDueMail, type MailTransport } from '../domain/mail/mail.service.ts';
import { createLogger } from '../logger.ts';
import { createMailTransport } from './mail.transport.ts';

const log = createLogger({ namespace: 'mail:worker' });

export type MailWorker = {
	/** True when SMTP is configured and the worker sends mail. */
	isActive: boolean;
	/** Sends due mail now (e.g. right after a commit that queued a message); resolves when the pass ends. Never rejects. */
	kick: () => Promise<void>;
	/** Stops the interval and waits for the pass in progress. */
	stop: () => Promise<void>;
};

const BATCH_SIZE = 20;

/**
 * Sends queued mail every SOHO_MAIL_INTERVAL_SECONDS and whenever `kick()` is called.
 * Passes never overlap: a kick during a pass runs one more pass after it.
 * Does nothing when SMTP_URL is unset (mail is then held in the outbox).
 */
export function startMailWorker({
	db,
	config,
	transport: givenTransport
}: {
	db: Db;
	config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'mailIntervalSeconds'>;
	/** Defaults to createMailTransport(config); tests may pass their own. */
	transport?: MailTransport & { close?: () => void };
}): MailWorker {
	const transport = givenTransport ?? createMailTransport(config);
	if (!transport) {
		log.info('SMTP not configured: mail is held in the outbox');
		return { isActive: false, kick: async () => {}, stop: async () => {} };
	}
	let isStopped = false;
	let running: Promise<void> | null = null;
	let isPending = false;

	const pass = async () => {
		try {
			for (;;) {
				const result = await deliverDueMail({ limit: BATCH_SIZE }, { db, transport });
				const handled = result.sent + result.failed + result.retried;
				if (handled > 0) log.info(result, 'Mail delivery pass');
				// A full batch means more may be due.
				if (handled < BATCH_SIZE || isStopped) break;
			}
		} catch (error) {
			log.error({ err: error }, 'Mail delivery pass failed');
		}
	};

	const kick = (): Promise<void> => {
		if (isStopped) return Promise.resolve();
		if (running) {
			isPending = true;
			return running;
		}
		running = (async () => {
			do {
				isPending = false;
				await pass();
			} while (isPending && !isStopped);
			running = null;
		})();
		return running;
	};

	const timer = setInterval(() => void kick(), config.mailIntervalSeconds * 1000);
	timer.unref();
	void kick();
	log.info({ intervalSeconds: config.mailIntervalSeconds }, 'Mail worker started');

	return {
		isActive: true,
		kick,
		stop: async () => {
			isStopped = true;
			clearInterval(timer);
			await running;
			// A transport passed in belongs to the caller.
			if (!givenTransport) (transport as { close?: () => void }).close?.();
		}
	};
}
