#!/bin/sh
# The compose file's nightly backup: sleeps until SOHO_BACKUP_AT (HH:MM), runs `soho db backup`
# (every row, restorable on PGlite or PostgreSQL: see docs/deployment.md), drops backups older
# than SOHO_BACKUP_KEEP_DAYS days, and starts again. The systemd form uses soho-backup.timer.
set -eu
at="${SOHO_BACKUP_AT:-02:30}"
keep="${SOHO_BACKUP_KEEP_DAYS:-30}"
dir=/var/backups/soho
mkdir -p "$dir"
while :; do
	now=$(date +%s)
	next=$(date -d "today $at" +%s)
	[ "$next" -le "$now" ] && next=$(date -d "tomorrow $at" +%s)
	sleep $((next - now))
	file="$dir/soho-$(date +%Y-%m-%dT%H%M).json.gz"
	if node /app/bin/soho.js db backup "$file"; then
		find "$dir" -name 'soho-*.json.gz' -mtime +"$keep" -delete
	else
		echo "soho backup failed: $file" >&2
	fi
done
