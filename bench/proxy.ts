/**
 * The round-robin proxy of `npm run bench processes`, in a process of its own (as Caddy or nginx
 * would be), so that the load generator and the proxy do not share one thread:
 *
 *   tsx bench/proxy.ts http://127.0.0.1:3001 http://127.0.0.1:3002
 *
 * Prints its URL on the first line of standard output; stops on SIGTERM.
 */
import { startRoundRobinProxy } from '#server/testing/round-robin-proxy.ts';

const proxy = await startRoundRobinProxy(process.argv.slice(2));
process.stdout.write(`${proxy.url}\n`);
process.once('SIGTERM', () => {
	void proxy.close().then(() => process.exit(0));
});
