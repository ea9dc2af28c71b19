"""Reads an Isobar topic with confluent-kafka's Schema Registry JSON deserializer and prints one JSON line per record.

Each record carries the id of the schema it was written with (Confluent wire format); the deserializer fetches
that schema from Isobar's registry and validates the record against it.
"""

import argparse
import json
import os
import time
import uuid

from confluent_kafka import Consumer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.json_schema import JSONDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--topic", default="sensors.readings")
    parser.add_argument("--max-messages", type=int, default=10)
    parser.add_argument("--timeout-s", type=float, default=60)
    parser.add_argument("--group", default=f"isobar-python-example-{uuid.uuid4().hex[:8]}")
    args = parser.parse_args()

    registry = SchemaRegistryClient({"url": os.environ.get("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081")})
    deserialize = JSONDeserializer(None, schema_registry_client=registry)
    consumer = Consumer(
        {
            "bootstrap.servers": os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
            "group.id": args.group,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    consumer.subscribe([args.topic])
    read = 0
    deadline = time.monotonic() + args.timeout_s
    try:
        while read < args.max_messages and time.monotonic() < deadline:
            message = consumer.poll(1.0)
            if message is None:
                continue
            if message.error():
                raise SystemExit(f"consume failed: {message.error()}")
            value = deserialize(message.value(), SerializationContext(message.topic(), MessageField.VALUE))
            schema_id = int.from_bytes(message.value()[1:5], "big")
            print(json.dumps({"partition": message.partition(), "offset": message.offset(), "schemaId": schema_id, "value": value}))
            consumer.commit(message=message, asynchronous=False)
            read += 1
    finally:
        consumer.close()
    if read < args.max_messages:
        raise SystemExit(f"read {read} of {args.max_messages} records within {args.timeout_s} s")


if __name__ == "__main__":
    main()
