/** Worker-thread entry: runs compatibility check tasks posted by CheckPool, one at a time. */
import { parentPort } from 'node:worker_threads'
import { runCheckTask, type CheckTask } from './check-task.ts'

parentPort?.on('message', (message: { id: number; task: CheckTask }) => {
  parentPort?.postMessage({ id: message.id, outcome: runCheckTask(message.task) })
})
