// Downloads the Apache Kafka jars (broker + tools) and the Prometheus JMX exporter agent (broker metrics)
// through Maven once; later runs find them in place.
import { checkJava, checkMaven, ensureJmxExporterJar, ensureKafkaJars } from '@isobar/kafka-local'

await checkJava()
await checkMaven()
const libDir = await ensureKafkaJars()
process.stdout.write(`Kafka jars ready in ${libDir}\n`)
const agentJar = await ensureJmxExporterJar()
process.stdout.write(`JMX exporter agent ready at ${agentJar}\n`)
