// Downloads the Apache Kafka jars (broker + tools) through Maven once; later runs find them in place.
import { checkJava, checkMaven, ensureKafkaJars } from '@isobar/kafka-local'

await checkJava()
await checkMaven()
const libDir = await ensureKafkaJars()
process.stdout.write(`Kafka jars ready in ${libDir}\n`)
