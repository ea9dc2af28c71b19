#!/bin/sh
# The first argument picks the service; anything else is an `isobar` CLI command (`docker run … topics list`).
# exec: the service is PID 1 and gets SIGTERM itself (each one flushes what it accepted before it exits).
set -e
cd /app
service="${1:-}"
[ $# -gt 0 ] && shift
case "${service}" in
  registry) exec node packages/registry/src/main.ts "$@" ;;
  console) exec node packages/admin-api/src/main.ts "$@" ;;
  weather-streamer) exec node packages/weather-streamer/src/main.ts "$@" ;;
  analytics) exec node packages/sensor-analytics/src/analytics/main.ts "$@" ;;
  notifier) exec node packages/notifier/src/main.ts "$@" ;;
  simulator) exec node packages/cli/bin/isobar.js simulate sensors "$@" ;;
  "") exec node packages/cli/bin/isobar.js --help ;;
  *) exec node packages/cli/bin/isobar.js "${service}" "$@" ;;
esac
