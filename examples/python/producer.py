"""Writes simulated sensor readings to an Isobar topic with confluent-kafka's Schema Registry JSON serializer.

The schema is the one Isobar registered for the topic (`<topic>-value`, latest version): the producer does not
register its own, so a reading Isobar's schema refuses is refused here too, before it is sent.
"""

import argparse
import os
import random
import time

from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.json_schema import JSONSerializer
from confluent_kafka.serialization import MessageField, SerializationContext, StringSerializer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--topic", default="sensors.readings")
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--sensor-prefix", default="py:sensor")
    args = parser.parse_args()

    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    registry = SchemaRegistryClient({"url": os.environ.get("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081")})
    subject = f"{args.topic}-value"
    latest = registry.get_latest_version(subject)
    serialize = JSONSerializer(
        latest.schema.schema_str,
        registry,
        conf={"auto.register.schemas": False, "use.latest.version": True},
    )
    key = StringSerializer("utf_8")
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
    failures = []

    def delivered(error, message) -> None:
        if error is not None:
            failures.append(str(error))

    for sequence in range(args.count):
        now = int(time.time() * 1000)
        sensor = f"{args.sensor_prefix}-{sequence % 3}"
        reading = {
            "sensorId": sensor,
            "sequence": sequence,
            "eventTimeMs": now,
            "ingestTimeMs": now,
            "temperatureC": round(20 + random.uniform(-2, 2), 2),
        }
        producer.produce(
            args.topic,
            key=key(sensor),
            value=serialize(reading, SerializationContext(args.topic, MessageField.VALUE)),
            on_delivery=delivered,
        )
    producer.flush(30)
    if failures:
        raise SystemExit(f"{len(failures)} readings not delivered: {failures[0]}")
    print(f"wrote {args.count} readings to {args.topic} with schema id {latest.schema_id} ({subject} v{latest.version})")


if __name__ == "__main__":
    main()
