#!/bin/bash
# The streaming replica: on first start, copies the primary (pg_basebackup -R writes
# standby.signal and primary_conninfo), then runs as a hot standby that answers read-only
# queries (SOHO_READ_DATABASE_URL). Writes sent here fail: the observatory only reads.
set -euo pipefail
export PGDATA=/var/lib/postgresql/data
if [ ! -s "$PGDATA/PG_VERSION" ]; then
	until pg_isready -h "$SOHO_PRIMARY_HOST" -U replicator; do sleep 1; done
	pg_basebackup -h "$SOHO_PRIMARY_HOST" -U replicator -D "$PGDATA" -X stream -R -S soho_replica
	chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on
