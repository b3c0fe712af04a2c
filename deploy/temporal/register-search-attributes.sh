#!/bin/sh
# Registers SafeDeploy's custom search attributes (src/temporal/search-attributes.ts; all Keyword) on a
# Temporal namespace with the `temporal` CLI, which reads its connection from the environment:
# TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE (default "default"), TEMPORAL_API_KEY, TEMPORAL_TLS.
# SafeDeploy's own mTLS variables (src/temporal/connection.ts) are mapped to the names the Temporal CLI
# reads (its commands.yml, v1.5.1): TEMPORAL_TLS_CERT -> TEMPORAL_TLS_CLIENT_CERT_PATH,
# TEMPORAL_TLS_KEY -> TEMPORAL_TLS_CLIENT_KEY_PATH, TEMPORAL_TLS_CA -> TEMPORAL_TLS_SERVER_CA_CERT_PATH;
# TEMPORAL_TLS_SERVER_NAME is the same in both. The CLI's names win when both are set.
#
# Waits until the cluster answers and the namespace exists (auto-setup creates it shortly after start),
# then creates only the attributes that are missing: safe to run on every `docker compose up` and as a
# Kubernetes Job. While waiting, and when it gives up, it prints the CLI's own error.
# Fails if an attribute exists with another type (the worker could not upsert it) or on timeout.
# Temporal Cloud registers search attributes with `tcld` instead; see docs/DEPLOY.md.
set -eu

namespace="${TEMPORAL_NAMESPACE:-default}"
timeout_seconds="${REGISTER_TIMEOUT_SECONDS:-180}"
attributes="SafeDeployService SafeDeployIncidentState SafeDeploySeverity SafeDeployKind"

map_tls() {
  if [ -n "$2" ] && [ -z "$(printenv "$1" || true)" ]; then export "$1=$2"; fi
}
map_tls TEMPORAL_TLS_CLIENT_CERT_PATH "${TEMPORAL_TLS_CERT:-}"
map_tls TEMPORAL_TLS_CLIENT_KEY_PATH "${TEMPORAL_TLS_KEY:-}"
map_tls TEMPORAL_TLS_SERVER_CA_CERT_PATH "${TEMPORAL_TLS_CA:-}"
# The CLI also reads these old names, and they override the new ones: only the mapped names remain.
unset TEMPORAL_TLS_CERT TEMPORAL_TLS_KEY TEMPORAL_TLS_CA

# "  <name>   <type>" in the CLI's table.
type_of() {
  printf '%s\n' "$1" | awk -v name="$2" '$1 == name { print $2 }'
}

last_error=""
deadline=$(($(date +%s) + timeout_seconds))
while :; do
  missing=""
  if current=$(temporal operator search-attribute list --namespace "$namespace" 2>&1); then
    for name in $attributes; do
      type=$(type_of "$current" "$name")
      case "$type" in
        Keyword) ;;
        "") missing="$missing $name" ;;
        *)
          echo "search attribute $name exists in namespace $namespace with type $type, not Keyword;" \
            "SafeDeploy cannot use it (delete it or use another namespace)" >&2
          exit 1
          ;;
      esac
    done
    if [ -z "$missing" ]; then
      echo "search attributes registered in namespace $namespace: $attributes"
      exit 0
    fi
    for name in $missing; do
      # A namespace that was just created may not be known to every server component yet: retried below.
      if ! out=$(temporal operator search-attribute create --namespace "$namespace" --name "$name" --type Keyword 2>&1); then
        last_error=$(printf '%s\n' "$out" | tail -n 1)
        echo "creating $name failed (retrying): $last_error" >&2
      fi
    done
  else
    last_error=$(printf '%s\n' "$current" | tail -n 1)
    echo "waiting for Temporal at ${TEMPORAL_ADDRESS:-localhost:7233} and namespace $namespace: $last_error" >&2
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "gave up after ${timeout_seconds}s: search attributes missing in namespace $namespace:${missing:- (cluster or namespace unreachable)}${last_error:+; the Temporal CLI said: $last_error}" >&2
    exit 1
  fi
  sleep 2
done
