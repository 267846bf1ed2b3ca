#!/bin/bash
# Runs once, when the primary's data directory is created (docker-entrypoint-initdb.d): a role
# that may stream the WAL, a physical slot so the primary keeps what the replica has not read,
# and the replica's network allowed to replicate.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${SOHO_REPLICATION_PASSWORD}';
SELECT pg_create_physical_replication_slot('soho_replica');
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
