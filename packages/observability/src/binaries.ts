import { access, constants } from 'node:fs/promises'
import { ObservabilityError, ObservabilityErrorCodes } from './errors.ts'

/** The Debian names of the monitoring binaries (packages `prometheus` and `prometheus-alertmanager`). */
export const BINARIES = {
  prometheus: '/usr/bin/prometheus',
  promtool: '/usr/bin/promtool',
  alertmanager: '/usr/bin/prometheus-alertmanager',
  amtool: '/usr/bin/amtool',
} as const

export type BinaryName = keyof typeof BINARIES

/** The path of a monitoring binary; throws a clear error naming the Debian package when it is missing. */
export async function findBinary(name: BinaryName): Promise<string> {
  const path = BINARIES[name]
  try {
    await access(path, constants.X_OK)
    return path
  } catch {
    const pkg = name === 'alertmanager' || name === 'amtool' ? 'prometheus-alertmanager' : 'prometheus'
    throw new ObservabilityError(ObservabilityErrorCodes.BINARY_MISSING, `${path} not found: apt-get install -y ${pkg}`)
  }
}
