#!/bin/bash
# Run once by the postgres image when the primary's data directory is first made: lets the
# replica (deploy/compose.yaml, postgres-replica) stream from it with the same password.
set -e
echo "host replication all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
