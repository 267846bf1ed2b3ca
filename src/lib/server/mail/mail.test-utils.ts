import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = {
	from: string;
	/** Envelope recipients (RCPT TO), lower-cased as sent. */
	to: string[];
	subject: string;
	text: string;
	html: string | null;
	headers: Record<string, string>;
};

export type TestSmtpServer = {
	/** smtp://127.0.0.1:PORT, for SMTP_URL or createMailTransport. */
	url: string;
	port: number;
	/** Every message accepted so far, in order. */
	messages: ReceivedMail[];
	/** Resolves once `count` messages have been received (or rejects after `timeoutMs`). */
	waitFor: (count: number, timeoutMs?: number) => Promise<ReceivedMail[]>;
	close: () => Promise<void>;
};

function addressText(address: AddressObject | AddressObject[] | undefined): string {
	if (!address) return '';
	return (Array.isArray(address) ? address : [address]).map((a) => a.text).join(', ');
}

/**
 * A real SMTP server in this process (no TLS, no auth) on a free port, recording what
 * it receives. `rejectRecipient` makes it refuse RCPT TO with a 550, to test failures.
 *
 *   const smtp = await startTestSmtpServer();
 *   // SMTP_URL=smtp.url … then: await smtp.waitFor(1); smtp.messages[0].subject
 *   await smtp.close();
 */
export async function startTestSmtpServer({
	rejectRecipient
}: { rejectRecipient?: (address: string) => boolean } = {}): Promise<TestSmtpServer> {
	const messages: ReceivedMail[] = [];
	const waiters: Array<() => void> = [];
	const server = new SMTPServer({
		secure: false,
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onRcptTo(address, _session, callback) {
			if (rejectRecipient?.(address.address)) {
				const error = new Error('Recipient rejected by the test server') as Error & { responseCode: number };
				error.responseCode = 550;
				return callback(error);
			}
			callback();
		},
		onData(stream, session, callback) {
			simpleParser(stream)
				.then((parsed) => {
					const headers: Record<string, string> = {};
					for (const [key, value] of parsed.headers) {
						if (typeof value === 'string') headers[key] = value;
					}
					messages.push({
						from: addressText(parsed.from),
						to: session.envelope.rcptTo.map((r) => r.address),
						subject: parsed.subject ?? '',
						text: parsed.text ?? '',
						html: typeof parsed.html === 'string' ? parsed.html : null,
						headers
					});
					for (const wake of waiters.splice(0)) wake();
					callback();
				})
				.catch((error: Error) => callback(error));
		}
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	// Connections that a test leaves open must not crash the run.
	server.on('error', () => {});
	const port = (server.server.address() as AddressInfo).port;
	return {
		url: `smtp://127.0.0.1:${port}`,
		port,
		messages,
		waitFor: async (count, timeoutMs = 5000) => {
			const deadline = Date.now() + timeoutMs;
			while (messages.length < count) {
				const left = deadline - Date.now();
				if (left <= 0) throw new Error(`Expected ${count} messages, got ${messages.length}`);
				await new Promise<void>((resolve) => {
					const timer = setTimeout(resolve, left);
					waiters.push(() => {
						clearTimeout(timer);
						resolve();
					});
				});
			}
			return messages;
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
