// Run by `npm install` / `npm ci` (postinstall). Plain JavaScript for any Node >= 18: the Docker build's npm may run
// it before the project's own Node is in place.
//
// @platformatic/kafka 2.12.1, producer: a send groups its messages by the partition leaders it knows, and each
// group's request retries as a whole to the leader of the group's FIRST partition. When a broker that led several
// of those partitions goes away and its partitions get different new leaders, every retry carries partitions the
// receiving broker does not lead; the send fails only when its retries run out (the delivery timeout, two minutes by
// default), with no record of the other partitions lost but every producer of the process stalled behind it
// (seen: the chaos suite's load stalled ~140 s after a broker was paused for 15 s). The patch regroups a retried
// request by the leaders the refreshed metadata names, each group retrying on its own.
// Test: packages/sensor-analytics/test-chaos/chaos.test.ts (no send of the load fails across a paused broker).
// When to drop this: a client release whose retry looks leaders up per partition.
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const MARKER = '/* isobar-patch: regroup-retried-produce-by-leader */'

let producerFile
try {
  // The package entry is dist/index.js.
  const entry = createRequire(import.meta.url).resolve('@platformatic/kafka')
  producerFile = join(dirname(entry), 'clients', 'producer', 'producer.js')
} catch {
  process.exit(0) // not installed (a partial install): nothing to patch
}

const source = readFileSync(producerFile, 'utf8')
if (source.includes(MARKER)) process.exit(0)

const replacements = [
  [
    "this[kPerformWithRetry]('produce', retryCallback => {",
    "this[kPerformWithRetry]('produce', (retryCallback, attempt) => {",
  ],
  [
    `                refreshMetadata = false;
                const leader = metadata.topics.get(topic).partitions[partition].leader;`,
    `                refreshMetadata = false;
                ${MARKER}
                if (attempt > 0 && messages.length > 1) {
                    const groups = new Map();
                    for (const message of messages) {
                        const groupLeader = metadata.topics.get(message.topic).partitions[message.partition].leader;
                        const group = groups.get(groupLeader);
                        if (group) group.push(message);
                        else groups.set(groupLeader, [message]);
                    }
                    if (groups.size > 1) {
                        runConcurrentCallbacks('Producing messages failed.', groups, ([, group], concurrentCallback) => {
                            this.#performSingleDestinationSend(topics, group, timeout, acks, autocreateTopics, repeatOnStaleMetadata, produceOptions, recoverOnProducerStateLoss, concurrentCallback);
                        }, (error, results) => {
                            if (error) {
                                error.isobarRegrouped = true;
                                retryCallback(error);
                                return;
                            }
                            retryCallback(null, { ...results[0], responses: results.flatMap(result => result?.responses ?? []) });
                        });
                        return;
                    }
                }
                const leader = metadata.topics.get(topic).partitions[partition].leader;`,
  ],
  [
    `        }, 0, [], error => {
            /* c8 ignore next 3 - Hard to test */
            if (!repeatOnStaleMetadata) {`,
    `        }, 0, [], error => {
            // The regrouped sends retried on their own already.
            if (error.isobarRegrouped) {
                return true;
            }
            /* c8 ignore next 3 - Hard to test */
            if (!repeatOnStaleMetadata) {`,
  ],
]

let patched = source
for (const [from, to] of replacements) {
  const at = patched.indexOf(from)
  if (at === -1 || patched.indexOf(from, at + 1) !== -1) {
    console.error(
      `isobar: cannot patch ${producerFile} (the @platformatic/kafka version changed?). ` +
        'See scripts/patch-dependencies.mjs: check whether the new release still needs the patch.',
    )
    process.exit(1)
  }
  patched = patched.replace(from, to)
}
writeFileSync(producerFile, patched)
console.log('isobar: patched @platformatic/kafka producer (retried produce requests regrouped by leader)')
