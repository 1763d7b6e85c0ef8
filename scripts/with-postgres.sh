#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL server: a new cluster in a temporary
# directory on 127.0.0.1, removed afterwards. Installs Debian's postgresql if missing.
# The command sees KOTAE_TEST_POSTGRES_URL (admin URL; tests create their own databases), and
# the server's CA and an unrelated one (KOTAE_TEST_POSTGRES_CA, KOTAE_TEST_POSTGRES_WRONG_CA).
set -euo pipefail

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
  echo "with-postgres: installing PostgreSQL (Debian's postgresql)…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
BIN="$(pg_bin)"
PORT="${KOTAE_PG_PORT:-55432}"
DIR="$(mktemp -d /tmp/kotae-pg.XXXXXX)"
RUN_AS=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root: the cluster belongs to the postgres user.
  id postgres >/dev/null 2>&1 || useradd --system --home "$DIR" postgres
  chown postgres "$DIR"
  RUN_AS=(runuser -u postgres --)
fi

cleanup() {
  "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT

"${RUN_AS[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null

# Like a managed PostgreSQL, the server takes TCP connections over TLS only, with a
# self-signed certificate; a second, unrelated CA lets a test see verify-full refuse.
if ! command -v openssl >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq openssl >&2
fi
self_signed() { # name, subject alternative names
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$1" -addext "subjectAltName=$2" \
    -keyout "$DIR/$1.key" -out "$DIR/$1.crt" >/dev/null 2>&1
}
self_signed localhost "DNS:localhost,IP:127.0.0.1"
self_signed unrelated-ca "DNS:unrelated.invalid"
cp "$DIR/localhost.crt" "$DIR/data/server.crt"
cp "$DIR/localhost.key" "$DIR/data/server.key"
chmod 600 "$DIR/data/server.key"
[ "$(id -u)" = 0 ] && chown postgres "$DIR/data/server.crt" "$DIR/data/server.key"
cat > "$DIR/data/pg_hba.conf" <<'HBA'
local     all all               trust
hostssl   all all 127.0.0.1/32  trust
hostnossl all all 127.0.0.1/32  reject
HBA

"${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=1000 -c fsync=off -c shared_buffers=256MB -c ssl=on" start >/dev/null

# No sslmode: libpq's default, prefer, which takes the server's TLS.
export KOTAE_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
export KOTAE_TEST_POSTGRES_CA="$DIR/localhost.crt"
export KOTAE_TEST_POSTGRES_WRONG_CA="$DIR/unrelated-ca.crt"
echo "with-postgres: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT" >&2
"$@"
