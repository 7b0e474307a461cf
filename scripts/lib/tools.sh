# Shared by scripts/start, scripts/test and .ci/run: install what is missing, quietly.
PNPM_VERSION=10.34.9
export TURBO_TELEMETRY_DISABLED=1

ensure_pnpm() {
  if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
    echo "Installing pnpm $PNPM_VERSION with npm…"
    npm install -g "pnpm@$PNPM_VERSION" --no-fund --no-audit --loglevel=error >/dev/null
  fi
}

ensure_dependencies() {
  # A no-op in a second or two when node_modules already matches the lockfile.
  pnpm install --frozen-lockfile --reporter=append-only --config.confirmModulesPurge=false
}

redis_answers() {
  node -e '
    const net = require("node:net")
    const url = new URL(process.env.REDIS_URL || "redis://127.0.0.1:6379")
    const socket = net.connect(Number(url.port || 6379), url.hostname)
    socket.setTimeout(1000, () => process.exit(1))
    socket.on("error", () => process.exit(1))
    socket.on("connect", () => socket.write("PING\r\n"))
    socket.on("data", (d) => process.exit(String(d).startsWith("+PONG") ? 0 : 1))
  ' 2>/dev/null
}

ensure_redis() {
  if redis_answers; then return 0; fi
  if command -v redis-server >/dev/null 2>&1; then
    echo "Redis is not answering on ${REDIS_URL:-redis://127.0.0.1:6379}; starting a local redis-server…"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
    for _ in $(seq 1 50); do redis_answers && return 0; sleep 0.1; done
  fi
  echo "Redis is not reachable at ${REDIS_URL:-redis://127.0.0.1:6379}; start it and try again." >&2
  return 1
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then return 0; fi
  echo "Installing Debian's chromium for the browser tests…"
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
}

# The PostgreSQL the suite also runs on (trust auth, user postgres); TEST_POSTGRES_URL overrides.
export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

postgres_answers() {
  node -e '
    const { createRequire } = require("node:module")
    const pg = createRequire(process.cwd() + "/packages/db/package.json")("pg")
    const client = new pg.Client({ connectionString: process.env.TEST_POSTGRES_URL, connectionTimeoutMillis: 2000 })
    client.connect().then(() => client.query("select 1")).then(() => client.end()).then(
      () => process.exit(0),
      () => process.exit(1),
    )
  ' 2>/dev/null
}

ensure_postgres() {
  if postgres_answers; then return 0; fi
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "PostgreSQL is not answering; starting the local cluster…"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start >/dev/null 2>&1 || true
    for _ in $(seq 1 50); do postgres_answers && return 0; sleep 0.2; done
  fi
  echo "PostgreSQL is not reachable at $TEST_POSTGRES_URL." >&2
  return 1
}
