import { randomUUID } from 'node:crypto'
import type { SampleAccessor } from './accessor.ts'
import { SilenceList, type AlertCommand } from './commands.ts'
import { newDetectorState } from './anomaly/detector.ts'
import {
  evaluateAnomaly,
  evaluateRateOfChange,
  evaluateStuck,
  evaluateThreshold,
  type Evaluation,
} from './conditions.ts'
import { alertKey, type AlertChange, type AlertEvent } from './events.ts'
import { isOpen, newInstance, visibleState, type AlertInstance, type AlertStatus } from './instance.ts'
import { describeAlert } from './message.ts'
import type { AlertRule, StaleRule } from './rules/types.ts'

export interface AlertEngineOptions<T> {
  rules: readonly AlertRule[]
  accessor: SampleAccessor<T>
  /** Clock time in ms (stale detection, silences, raisedAtMs). Default Date.now. */
  clock?: () => number
  /** Alert ids; default random UUIDs. */
  newId?: () => string
}

export interface EngineStats {
  samples: number
  /** Samples without an entity id or event time. */
  invalid: number
  /** Samples older than the latest one already evaluated for that rule and entity. */
  outOfOrder: number
  /** Exact repeats (same event time and value) of the previous sample. */
  duplicates: number
  events: number
  /** Transitions not published because the alert was flapping. */
  suppressedByFlapping: number
}

export type CommandStatus = 'applied' | 'duplicate' | 'ignored'

export interface CommandResult {
  status: CommandStatus
  reason?: string
  events: AlertEvent[]
}

const REMEMBERED_COMMANDS = 10_000

/**
 * The alert engine: a pure state machine over samples, clock ticks and operator commands. It does no I/O:
 * every call returns the events to publish (see kafka/runner.ts for the Kafka adapter).
 */
export class AlertEngine<T> {
  readonly #rules: readonly AlertRule[]
  readonly #rulesById: Map<string, AlertRule>
  readonly #accessor: SampleAccessor<T>
  readonly #clock: () => number
  readonly #newId: () => string
  readonly #instances = new Map<string, AlertInstance>()
  #silences = new SilenceList()
  readonly #appliedCommands = new Set<string>()
  readonly stats: EngineStats = {
    samples: 0,
    invalid: 0,
    outOfOrder: 0,
    duplicates: 0,
    events: 0,
    suppressedByFlapping: 0,
  }

  constructor(options: AlertEngineOptions<T>) {
    this.#rules = options.rules
    this.#rulesById = new Map(options.rules.map((r) => [r.id, r]))
    this.#accessor = options.accessor
    this.#clock = options.clock ?? Date.now
    this.#newId = options.newId ?? randomUUID
  }

  get rules(): readonly AlertRule[] {
    return this.#rules
  }

  /** Evaluates one message against every rule; returns the events it caused. */
  ingest(message: T): AlertEvent[] {
    const entityId = this.#accessor.entityId(message)
    const t = this.#accessor.timeMs(message)
    if (entityId === undefined || t === undefined) {
      this.stats.invalid++
      return []
    }
    this.stats.samples++
    const events: AlertEvent[] = []
    for (const rule of this.#rules) {
      if (rule.entityPattern && !rule.entityPattern.test(entityId)) continue
      if (rule.type === 'stale') {
        if (rule.metric === undefined || this.#accessor.metric(message, rule.metric) !== undefined) {
          this.#seen(rule, entityId, t, events)
        }
        continue
      }
      const value = this.#accessor.metric(message, rule.metric)
      if (value === undefined) continue
      const instance = this.#instance(rule, entityId)
      if (t < instance.lastTimeMs) {
        this.stats.outOfOrder++
        continue
      }
      if (t === instance.lastTimeMs && value === instance.lastValue) {
        this.stats.duplicates++
        continue
      }
      instance.lastTimeMs = t
      instance.lastValue = value
      const evaluation = this.#evaluate(rule, instance, t, value)
      instance.lastEvaluation = evaluation
      this.#step(instance, evaluation.verdict, t, events)
      this.#checkFlappingEnd(instance, t, events)
    }
    this.stats.events += events.length
    return events
  }

  /** Clock-driven checks (silent sensors); call it periodically, e.g. every second. */
  tick(): AlertEvent[] {
    const now = this.#clock()
    const events: AlertEvent[] = []
    for (const instance of this.#instances.values()) {
      if (instance.rule.type !== 'stale') continue
      const silentMs = now - instance.lastSeenMs
      instance.lastEvaluation = { verdict: 'breach', observed: silentMs, threshold: instance.rule.afterMs }
      if (instance.phase === 'normal' && silentMs >= instance.rule.afterMs) {
        instance.alertId = this.#newId()
        instance.ack = undefined
        this.#fire(instance, now, events)
      }
      this.#checkFlappingEnd(instance, now, events)
    }
    this.stats.events += events.length
    return events
  }

  /** Expect these entities: a stale rule fires for them even if they never send anything. */
  watch(entityIds: readonly string[]): void {
    for (const rule of this.#rules) {
      if (rule.type !== 'stale') continue
      for (const id of entityIds) if (!rule.entityPattern || rule.entityPattern.test(id)) this.#instance(rule, id)
    }
  }

  /** Applies an acknowledgement or silence; idempotent by commandId. */
  applyCommand(command: AlertCommand): CommandResult {
    if (this.#appliedCommands.has(command.commandId)) return { status: 'duplicate', events: [] }
    this.#appliedCommands.add(command.commandId)
    if (this.#appliedCommands.size > REMEMBERED_COMMANDS) {
      this.#appliedCommands.delete(this.#appliedCommands.values().next().value!)
    }
    const rule = this.#rulesById.get(command.ruleId)
    if (!rule) return ignored(`no rule "${command.ruleId}" in this engine`)
    const now = this.#clock()
    if (command.action === 'acknowledge') {
      const instance =
        command.entityId === undefined
          ? [...this.#instances.values()].find((i) => i.rule === rule && i.alertId === command.alertId)
          : this.#instances.get(alertKey(rule.id, command.entityId))
      if (!instance || !isOpen(instance)) return ignored('no firing alert to acknowledge')
      if (command.alertId !== undefined && command.alertId !== instance.alertId) {
        return ignored('the alert id is not the firing episode (it resolved since)')
      }
      if (command.issuedAtMs < (instance.firedAtClockMs ?? 0)) {
        return ignored('issued before this episode fired (an acknowledgement of an earlier one)')
      }
      if (instance.ack) return ignored(`already acknowledged by ${instance.ack.by}`)
      instance.ack = { by: command.issuedBy, atMs: command.issuedAtMs }
      return this.#applied([this.#event(instance, 'acknowledged', now)])
    }
    if (command.action === 'silence') {
      const untilMs = command.silenceUntilMs ?? 0
      if (untilMs <= now) return ignored('the silence has already expired')
      this.#silences.add({
        commandId: command.commandId,
        ruleId: rule.id,
        entityId: command.entityId,
        untilMs,
        by: command.issuedBy,
      })
      return this.#applied(this.#openMatching(rule, command.entityId).map((i) => this.#event(i, 'silenced', now)))
    }
    if (this.#silences.remove(rule.id, command.entityId) === 0) return ignored('no matching silence')
    return this.#applied(this.#openMatching(rule, command.entityId).map((i) => this.#event(i, 'unsilenced', now)))
  }

  /** Current alerts (pending and firing; resolved ones too when asked). */
  alerts(options: { includeResolved?: boolean } = {}): AlertStatus[] {
    const now = this.#clock()
    const result: AlertStatus[] = []
    for (const i of this.#instances.values()) {
      if (i.alertId === undefined) continue
      const state = visibleState(i)
      if (state === 'resolved' && !options.includeResolved) continue
      result.push({
        key: i.key,
        alertId: i.alertId,
        ruleId: i.rule.id,
        entityId: i.entityId,
        state,
        recovering: i.phase === 'recovering',
        severity: severityOf(i),
        field: fieldOf(i.rule),
        value: i.lastEvaluation?.observed,
        threshold: i.lastEvaluation?.threshold,
        firingSinceMs: i.firingSinceMs,
        acknowledgedBy: i.ack?.by,
        acknowledgedAtMs: i.ack?.atMs,
        silencedUntilMs: this.#silences.activeUntil(i.rule.id, i.entityId, now),
        flapping: i.flapping,
      })
    }
    return result
  }

  /**
   * Forgets every alert instance, silence and applied command, so `restore` can seed the engine again from what was
   * actually published and the operator commands can be replayed on top: after an alert event could not be
   * delivered, the runner re-reads the input and the commands (an acknowledgement whose event was lost applies
   * again; one whose event was published finds the alert already acknowledged).
   */
  forgetAlerts(): void {
    this.#instances.clear()
    this.#appliedCommands.clear()
    this.#silences = new SilenceList()
  }

  /**
   * Seeds open alerts from their last published state (the alerts topic), so a restarted engine keeps the
   * same alert ids and acknowledgements instead of firing duplicates.
   */
  restore(latest: readonly AlertEvent[]): number {
    let restored = 0
    for (const event of latest) {
      const rule = this.#rulesById.get(event.ruleId)
      if (!rule) continue
      // A restarted runner reads again the samples after its last committed offset. Those up to the last
      // published state change were evaluated already: they count as seen, so they cannot raise it twice.
      // Only data-driven changes carry a sample's event time (stale rules and commands carry clock time).
      if (rule.type !== 'stale' && (event.change === 'fired' || event.change === 'resolved')) {
        const seen = this.#instance(rule, event.entityId)
        seen.lastTimeMs = Math.max(seen.lastTimeMs, event.eventTimeMs)
        if (event.value !== undefined) seen.lastValue = event.value
      }
      if (event.state !== 'firing') continue
      const instance = this.#instance(rule, event.entityId)
      instance.phase = 'firing'
      instance.alertId = event.alertId
      instance.firingSinceMs = event.firingSinceMs ?? event.eventTimeMs
      instance.firedAtClockMs = event.raisedAtMs
      if (event.acknowledgedBy !== undefined) {
        instance.ack = { by: event.acknowledgedBy, atMs: event.acknowledgedAtMs ?? event.raisedAtMs }
      }
      restored++
    }
    return restored
  }

  #applied(events: AlertEvent[]): CommandResult {
    this.stats.events += events.length
    return { status: 'applied', events }
  }

  #openMatching(rule: AlertRule, entityId: string | undefined): AlertInstance[] {
    return [...this.#instances.values()].filter(
      (i) => i.rule === rule && isOpen(i) && (entityId === undefined || i.entityId === entityId),
    )
  }

  #instance(rule: AlertRule, entityId: string): AlertInstance {
    const key = alertKey(rule.id, entityId)
    let instance = this.#instances.get(key)
    if (!instance) this.#instances.set(key, (instance = newInstance(rule, entityId, key, this.#clock())))
    return instance
  }

  #seen(rule: StaleRule, entityId: string, t: number, events: AlertEvent[]): void {
    const instance = this.#instance(rule, entityId)
    instance.lastSeenMs = this.#clock()
    if (isOpen(instance)) {
      instance.lastEvaluation = { verdict: 'clear', observed: 0, threshold: rule.afterMs }
      this.#resolve(instance, t, events)
    }
  }

  #evaluate(rule: Exclude<AlertRule, StaleRule>, instance: AlertInstance, t: number, value: number): Evaluation {
    if (rule.type === 'threshold') return evaluateThreshold(rule, value)
    if (rule.type === 'anomaly') {
      const evaluation = evaluateAnomaly(rule, (instance.detector ??= newDetectorState()), t, value)
      if (evaluation.verdict === 'breach' && (evaluation.score ?? 0) > instance.peakScore) {
        instance.peakScore = evaluation.score ?? 0
      }
      return evaluation
    }
    instance.window.push(t, value)
    if (rule.type === 'rate-of-change') {
      instance.window.trim(t, rule.withinMs, false)
      return evaluateRateOfChange(rule, instance.window, value)
    }
    instance.window.trim(t, rule.withinMs, true)
    return evaluateStuck(rule, instance.window, t)
  }

  #step(instance: AlertInstance, verdict: Evaluation['verdict'], t: number, events: AlertEvent[]): void {
    const { forMs, clearForMs } = instance.rule
    switch (instance.phase) {
      case 'normal':
        if (verdict !== 'breach') return
        instance.alertId = this.#newId()
        instance.ack = undefined
        if (forMs === 0) this.#fire(instance, t, events)
        else {
          instance.phase = 'pending'
          instance.phaseSinceMs = t
        }
        return
      case 'pending':
        if (verdict !== 'breach') instance.phase = 'normal'
        else if (t - instance.phaseSinceMs >= forMs) this.#fire(instance, t, events)
        return
      case 'firing':
        if (verdict !== 'clear') return
        if (clearForMs === 0) this.#resolve(instance, t, events)
        else {
          instance.phase = 'recovering'
          instance.phaseSinceMs = t
        }
        return
      case 'recovering':
        if (verdict !== 'clear') instance.phase = 'firing'
        else if (t - instance.phaseSinceMs >= clearForMs) this.#resolve(instance, t, events)
        return
    }
  }

  #fire(instance: AlertInstance, t: number, events: AlertEvent[]): void {
    instance.peakScore = instance.lastEvaluation?.score ?? 0
    instance.phase = 'firing'
    instance.firingSinceMs = t
    instance.firedAtClockMs = this.#clock()
    this.#transition(instance, 'fired', t, events)
  }

  #resolve(instance: AlertInstance, t: number, events: AlertEvent[]): void {
    instance.phase = 'normal'
    this.#transition(instance, 'resolved', t, events)
  }

  /** Publishes a firing/resolved transition unless the alert is flapping (then it is counted, not sent). */
  #transition(instance: AlertInstance, change: AlertChange, t: number, events: AlertEvent[]): void {
    const policy = instance.rule.flapping
    if (policy) {
      instance.transitions.push(t)
      trimTimes(instance.transitions, t - policy.windowMs)
      if (!instance.flapping && instance.transitions.length >= policy.maxTransitions) {
        instance.flapping = true
        events.push(this.#event(instance, 'flapping-started', t))
        return
      }
      if (instance.flapping) {
        this.stats.suppressedByFlapping++
        return
      }
    }
    events.push(this.#event(instance, change, t))
  }

  #checkFlappingEnd(instance: AlertInstance, t: number, events: AlertEvent[]): void {
    const policy = instance.rule.flapping
    if (!policy || !instance.flapping) return
    trimTimes(instance.transitions, t - policy.windowMs)
    if (instance.transitions.length > policy.clearTransitions) return
    instance.flapping = false
    events.push(this.#event(instance, 'flapping-stopped', t))
  }

  #event(instance: AlertInstance, change: AlertChange, eventTimeMs: number): AlertEvent {
    const now = this.#clock()
    const rule = instance.rule
    const silencedUntilMs = this.#silences.activeUntil(rule.id, instance.entityId, now)
    const news = change !== 'acknowledged' && change !== 'silenced' && change !== 'unsilenced'
    const evaluation = instance.lastEvaluation
    const event: AlertEvent = {
      alertId: instance.alertId ?? this.#newId(),
      ruleId: rule.id,
      entityId: instance.entityId,
      state: isOpen(instance) ? 'firing' : 'resolved',
      change,
      severity: severityOf(instance),
      field: fieldOf(rule),
      message: describeAlert(rule, instance.entityId, change, evaluation),
      eventTimeMs,
      raisedAtMs: now,
      flapping: instance.flapping,
      notify: news && silencedUntilMs === undefined,
    }
    if (evaluation) {
      event.value = evaluation.observed
      event.threshold = evaluation.threshold
    }
    if (instance.firingSinceMs !== undefined) event.firingSinceMs = instance.firingSinceMs
    if (instance.ack) {
      event.acknowledgedBy = instance.ack.by
      event.acknowledgedAtMs = instance.ack.atMs
    }
    if (silencedUntilMs !== undefined) event.silencedUntilMs = silencedUntilMs
    return event
  }
}

/** The rule's severity; an anomaly whose episode scored criticalScore or more is critical. */
function severityOf(instance: AlertInstance): AlertRule['severity'] {
  const rule = instance.rule
  if (rule.type === 'anomaly' && rule.criticalScore !== undefined && instance.peakScore >= rule.criticalScore) {
    return 'critical'
  }
  return rule.severity
}

function ignored(reason: string): CommandResult {
  return { status: 'ignored', reason, events: [] }
}

function fieldOf(rule: AlertRule): string {
  return rule.metric ?? 'lastSeen'
}

function trimTimes(times: number[], from: number): void {
  let drop = 0
  while (drop < times.length && times[drop]! < from) drop++
  if (drop > 0) times.splice(0, drop)
}
