import { Writable } from 'node:stream';
import { createRootLogger } from './logger.ts';

/** A logger with soho's options (serializers, redaction) writing its JSON lines into memory. */
export function captureLogs() {
	const lines: string[] = [];
	const stream = new Writable({
		write(chunk, _encoding, done) {
			lines.push(String(chunk));
			done();
		}
	});
	return { logger: createRootLogger(stream, 'info'), text: () => lines.join('') };
}
