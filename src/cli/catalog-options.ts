// The --catalog flag of every command that reads the service catalog (`.option(...catalogFlag())`).
import { catalogDirDefault } from '../config/env';

/** A function, not a constant: the default is read from SAFEDEPLOY_CATALOG when the command is registered. */
export const catalogFlag = () =>
  ['--catalog <dir>', 'service catalog directory (env SAFEDEPLOY_CATALOG)', catalogDirDefault()] as const;
