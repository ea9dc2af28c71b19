// Fetches the Kafka Connect plugins of the history sink (Debezium JDBC sink + PostgreSQL driver) through Maven once,
// and builds (with its unit tests) Isobar's registry converter. --rebuild rebuilds the converter.
import { checkJava, checkMaven, ensureConnectPlugins } from '@isobar/kafka-local'

await checkJava()
await checkMaven()
const pluginPath = await ensureConnectPlugins({
  rebuildConverter: process.argv.includes('--rebuild'),
  onProgress: (message) => process.stdout.write(`${message}\n`),
})
process.stdout.write(`Connect plugins ready in ${pluginPath}\n`)
