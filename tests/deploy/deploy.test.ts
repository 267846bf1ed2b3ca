import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { expect, test } from 'vitest';
import { configDefinition, parseConfig } from '../../src/lib/server/config.ts';

/*
 * Docker is not available where the tests run: the compose file is checked as data. It parses,
 * its services are the documented ones, every soho setting it sets is one config.ts knows and
 * parses, and the proxy, nodes, replica and backup point at each other.
 */

type Service = {
	image?: string;
	build?: { context: string; dockerfile: string };
	environment?: Record<string, string>;
	ports?: string[];
	volumes?: string[];
	depends_on?: Record<string, unknown> | string[];
	entrypoint?: string[];
	command?: string[];
};
type Compose = { services: Record<string, Service>; volumes: Record<string, unknown> };

const compose = load(readFileSync('deploy/compose.yaml', 'utf8')) as Compose;
const KNOWN_ENV = new Set<string>(Object.values(configDefinition).map((definition) => definition.env));
/** Read by adapter-node or Node itself, not by config.ts. */
const RUNTIME_ENV = new Set(['NODE_ENV', 'ADDRESS_HEADER', 'XFF_DEPTH']);
const NODES = ['soho-a', 'soho-b'];

/** The value compose would give with the variables of `vars` (only ${NAME}, ${NAME:-x}, ${NAME:?x}). */
function interpolate(value: string, vars: Record<string, string>): string {
	return value.replace(
		/\$\{([A-Z_]+)(?::([-?])([^}]*))?\}/g,
		(_all, name: string, kind?: string, rest?: string) => {
			if (vars[name]) return vars[name];
			if (kind === '-') return rest ?? '';
			throw new Error(`${name} is required: ${rest}`);
		}
	);
}

test('the compose file has the proxy, two app nodes, PostgreSQL primary and replica and a backup job', () => {
	expect(Object.keys(compose.services).sort()).toEqual(
		['backup', 'postgres-primary', 'postgres-replica', 'proxy', 'soho-a', 'soho-b'].sort()
	);
	for (const name of Object.keys(compose.volumes)) {
		expect(name).toMatch(/^[a-z-]+$/);
	}
});

test('every soho setting the app nodes and the backup set is one config.ts knows, and it parses', () => {
	const vars = {
		SOHO_DB_PASSWORD: 'secret',
		SOHO_AUTH_SECRET: 'a'.repeat(40),
		SOHO_SITE: 'soho.example.org',
		SOHO_REPLICATION_PASSWORD: 'replication'
	};
	for (const name of [...NODES, 'backup']) {
		const environment = compose.services[name].environment ?? {};
		const soho = Object.keys(environment).filter(
			(key) => !RUNTIME_ENV.has(key) && !key.startsWith('SOHO_BACKUP_')
		);
		for (const key of soho) expect(KNOWN_ENV, `${name}: ${key}`).toContain(key);
		const env = Object.fromEntries(
			Object.entries(environment).map(([key, value]) => [key, interpolate(String(value), vars)])
		);
		const config = parseConfig(env);
		expect(config.isProduction).toBe(true);
		expect(config.databaseUrl).toBe('postgres://soho:secret@postgres-primary:5432/soho');
		expect(config.readDatabaseUrl).toBe('postgres://soho:secret@postgres-replica:5432/soho');
		expect(config.origin).toBe('https://soho.example.org');
	}
	// Without the secrets, compose refuses to start rather than running nodes that disagree.
	expect(() => interpolate(String(compose.services['soho-a'].environment?.SOHO_AUTH_SECRET), {})).toThrow(
		/SOHO_AUTH_SECRET/
	);
});

test('both nodes run the same image with the same settings and share the uploaded files', () => {
	const [a, b] = NODES.map((name) => compose.services[name]);
	expect(a).toEqual(b);
	expect(a.build?.dockerfile).toBe('deploy/Dockerfile');
	expect(a.volumes?.some((volume) => volume.endsWith(':/var/lib/soho/files'))).toBe(true);
	expect(a.environment?.SOHO_DATA_DIR).toBe('/var/lib/soho');
	expect(a.environment?.PORT).toBe('3000');
});

test('the proxy balances over both nodes on the port they listen on', () => {
	const proxy = compose.services.proxy;
	expect(proxy.ports).toEqual(['80:80', '443:443']);
	const upstreams = String(proxy.environment?.SOHO_UPSTREAMS).split(/\s+/);
	expect(upstreams).toEqual(NODES.map((name) => `${name}:${compose.services[name].environment?.PORT}`));
	const caddyfile = readFileSync('deploy/Caddyfile', 'utf8');
	expect(caddyfile).toContain('reverse_proxy {$SOHO_UPSTREAMS}');
	expect(caddyfile).toContain('lb_policy round_robin');
	expect(caddyfile).toContain('health_uri /readyz');
	expect(proxy.volumes).toContain('./Caddyfile:/etc/caddy/Caddyfile:ro');
});

test('the replica streams from the primary, which is set up for replication', () => {
	const primary = compose.services['postgres-primary'];
	expect(primary.command).toEqual(expect.arrayContaining(['wal_level=replica']));
	const replica = compose.services['postgres-replica'];
	expect(replica.environment?.SOHO_PRIMARY_HOST).toBe('postgres-primary');
	expect(Object.keys(replica.depends_on ?? {})).toContain('postgres-primary');
	const entrypoint = readFileSync('deploy/postgres/replica-entrypoint.sh', 'utf8');
	expect(entrypoint).toMatch(/pg_basebackup .* -R /);
	const init = readFileSync('deploy/postgres/primary-init.sh', 'utf8');
	expect(init).toContain('WITH REPLICATION');
	expect(entrypoint).toContain('-S soho_replica');
	expect(init).toContain("pg_create_physical_replication_slot('soho_replica')");
});

test('the backup job runs `soho db backup` against the primary, in compose and in systemd', () => {
	const backup = compose.services.backup;
	expect(backup.entrypoint).toEqual(['/bin/sh', '/app/deploy/backup-loop.sh']);
	expect(readFileSync('deploy/backup-loop.sh', 'utf8')).toContain('bin/soho.js db backup');
	expect(backup.volumes).toContain('soho-backups:/var/backups/soho');
	expect(readFileSync('deploy/systemd/soho-backup.service', 'utf8')).toContain('bin/soho.js db backup');
	expect(readFileSync('deploy/systemd/soho-backup.timer', 'utf8')).toMatch(/OnCalendar=\*-\*-\* 02:30:00/);
	// The systemd node template takes its port from the instance name.
	expect(readFileSync('deploy/systemd/soho@.service', 'utf8')).toContain('Environment=PORT=%i');
});

test('the systemd settings example names only settings soho or adapter-node reads', () => {
	const lines = readFileSync('deploy/systemd/soho.env.example', 'utf8')
		.split('\n')
		.filter((line) => /^[A-Z_]+=/.test(line));
	const env = Object.fromEntries(lines.map((line) => line.split(/=(.*)/s).slice(0, 2)));
	for (const key of Object.keys(env)) {
		expect(KNOWN_ENV.has(key) || RUNTIME_ENV.has(key), key).toBe(true);
	}
	expect(() => parseConfig({ ...env, NODE_ENV: 'production' })).not.toThrow();
});
