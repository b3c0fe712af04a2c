// `--prometheus-header` / PROMETHEUS_HEADERS for the commands that read Prometheus; a malformed header is a
// usage error (exit 2) that names the header but never its value.
import { parsePrometheusHeaders, PrometheusHeaderError } from '../prometheus/client-options';
import { CliError, EXIT } from './errors';

export function prometheusHeadersOrExit(flags: readonly string[] | undefined): Record<string, string> {
  try {
    return parsePrometheusHeaders(flags ?? []);
  } catch (error) {
    if (error instanceof PrometheusHeaderError) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
}
