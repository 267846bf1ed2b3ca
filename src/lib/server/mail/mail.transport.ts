import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';
import type { MailTransport } from '../domain/mail/mail.service.ts';

export type ClosableMailTransport = MailTransport & { close: () => void };

/**
 * The nodemailer SMTP transport for SMTP_URL (smtp:// with STARTTLS when offered,
 * smtps:// for implicit TLS), with MAIL_FROM as sender; null when SMTP is not configured.
 */
export function createMailTransport(
	config: Pick<Config, 'smtpUrl' | 'mailFrom'>
): ClosableMailTransport | null {
	if (!config.smtpUrl) return null;
	return nodemailer.createTransport(config.smtpUrl, {
		from: config.mailFrom
	}) as unknown as ClosableMailTransport;
}
