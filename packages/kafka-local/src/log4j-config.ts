/**
 * log4j2 configurations. Kafka's POMs carry no slf4j binding, so pom.xml adds log4j-slf4j-impl, and without an
 * explicit `-Dlog4j2.configurationFile` log4j falls back to ERROR-only console output: the broker would look dead.
 * XML needs no extra jar (YAML would need jackson-dataformat-yaml on the classpath).
 */

export const BROKER_LOG4J_FILE = 'log4j2.xml'
export const TOOLS_LOG4J_FILE = 'log4j2-tools.xml'
export const SERVER_LOG_FILE = 'server.log'

/**
 * Broker: one rolling server.log in `${sys:kafka.logs.dir}` (the node's dir, passed by the launcher). Loggers that
 * write lines per partition, per purgatory thread or dump the full config (5 times per start, ~330 lines each:
 * server.properties holds it anyway) are raised to WARN: a test run creates hundreds of topics
 * and the 3-node failover tests need the ISR/leader lines (kafka.cluster.Partition) to stay readable.
 */
export const BROKER_LOG4J_XML = `<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="warn">
  <Appenders>
    <RollingFile name="SERVER" fileName="\${sys:kafka.logs.dir}/${SERVER_LOG_FILE}"
                 filePattern="\${sys:kafka.logs.dir}/${SERVER_LOG_FILE}.%i">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
      <Policies><SizeBasedTriggeringPolicy size="10MB"/></Policies>
      <DefaultRolloverStrategy max="5"/>
    </RollingFile>
  </Appenders>
  <Loggers>
    <Logger name="org.apache.kafka.common.config.AbstractConfig" level="warn"/>
    <Logger name="org.apache.kafka.server.quota.ClientQuotaManager$ThrottledChannelReaper" level="warn"/>
    <Logger name="org.apache.kafka.server.purgatory.DelayedOperationPurgatory$ExpiredOperationReaper" level="warn"/>
    <Logger name="org.apache.kafka.server.util.timer.SystemTimerReaper$Reaper" level="warn"/>
    <Logger name="kafka.request.logger" level="warn"/>
    <Logger name="kafka.network.RequestChannel$" level="warn"/>
    <Logger name="kafka.authorizer.logger" level="warn"/>
    <Logger name="state.change.logger" level="warn"/>
    <Logger name="kafka.log.LogManager" level="warn"/>
    <Logger name="org.apache.kafka.storage.internals.log" level="warn"/>
    <Root level="info"><AppenderRef ref="SERVER"/></Root>
  </Loggers>
</Configuration>
`

/** Tools: WARN and above to stderr, like Kafka's tools-log4j2.yaml, so stdout carries only the tool's output. */
export const TOOLS_LOG4J_XML = `<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="warn">
  <Appenders>
    <Console name="STDERR" target="SYSTEM_ERR"><PatternLayout pattern="[%d] %p %m (%c)%n"/></Console>
  </Appenders>
  <Loggers>
    <Root level="warn"><AppenderRef ref="STDERR"/></Root>
  </Loggers>
</Configuration>
`
