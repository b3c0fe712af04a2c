// On a Temporal the stack did not start (TEMPORAL_ADDRESS), SafeDeploy's search attributes may be missing,
// and incident workflows cannot start without them: register what is missing, or say what to do.
import { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { SAFEDEPLOY_SEARCH_ATTRIBUTES } from '../temporal/search-attributes';
import { temporalOptionsFromEnv, tlsConfig } from '../temporal/connection';
import { errorMessage } from '../errors';

type Registration = NonNullable<
  Parameters<Connection['operatorService']['addSearchAttributes']>[0]['searchAttributes']
>;

export async function ensureSearchAttributes(
  address: string,
  namespace: string,
  log: (line: string) => void,
): Promise<void> {
  const options = temporalOptionsFromEnv({ address, namespace });
  const connection = await Connection.connect({ address, connectTimeout: 10_000, ...tlsConfig(options) });
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = SAFEDEPLOY_SEARCH_ATTRIBUTES.filter((key) => !(key.name in (customAttributes ?? {})));
    if (missing.length === 0) return;
    const searchAttributes: Registration = {};
    for (const key of missing) {
      const type = encodeSearchAttributeIndexedValueType(key.type);
      if (type !== undefined) searchAttributes[key.name] = type;
    }
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
    log(`registered search attributes ${missing.map((key) => key.name).join(', ')} in ${namespace}`);
  } catch (err) {
    const why = errorMessage(err);
    log(
      `could not check or register SafeDeploy's search attributes in ${namespace} (${why}); ` +
        'register them as deploy/temporal/register-search-attributes.sh does',
    );
  } finally {
    await connection.close();
  }
}
