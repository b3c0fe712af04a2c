#!/bin/sh
# Registers SafeDeploy's custom search attributes (src/temporal/search-attributes.ts; all Keyword) on a
# Temporal namespace with the `temporal` CLI, which reads its connection from the environment:
# TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE (default "default"), TEMPORAL_API_KEY, TEMPORAL_TLS_*.
#
# Waits until the cluster answers and the namespace exists (auto-setup creates it shortly after start),
# then creates only the attributes that are missing: safe to run on every `docker compose up`.
# Fails if an attribute exists with another type (the worker could not upsert it) or on timeout.
# Temporal Cloud registers search attributes with `tcld` instead; see docs/DEPLOY.md.
set -eu

namespace="${TEMPORAL_NAMESPACE:-default}"
timeout_seconds="${REGISTER_TIMEOUT_SECONDS:-180}"
attributes="SafeDeployService SafeDeployIncidentState SafeDeploySeverity SafeDeployKind"

listing() {
  temporal operator search-attribute list --namespace "$namespace" 2>/dev/null
}

# "  <name>   <type>" in the CLI's table.
type_of() {
  printf '%s\n' "$1" | awk -v name="$2" '$1 == name { print $2 }'
}

deadline=$(($(date +%s) + timeout_seconds))
while :; do
  missing=""
  if current=$(listing); then
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
      temporal operator search-attribute create --namespace "$namespace" --name "$name" --type Keyword ||
        echo "creating $name failed; retrying" >&2
    done
  else
    echo "waiting for Temporal at ${TEMPORAL_ADDRESS:-localhost:7233} and namespace $namespace" >&2
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "gave up after ${timeout_seconds}s: search attributes missing in namespace $namespace:${missing:- (cluster or namespace unreachable)}" >&2
    exit 1
  fi
  sleep 2
done
