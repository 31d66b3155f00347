"""A burst of concurrent InvokeEndpoint calls with boto3's sagemaker-runtime client, unchanged but
for endpoint_url, against Ebb's gateway.

Usage: burst.py GATEWAY_URL ENDPOINT_NAME COMPONENT COUNT
Prints one JSON line per call (in call order): {"status": 200, "body": ..., "seconds": ...} or
{"status": <code>, "error": ...}.
"""
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

url, endpoint, component, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
runtime = boto3.client(
    "sagemaker-runtime",
    endpoint_url=url,
    region_name="us-east-1",
    aws_access_key_id="test",
    aws_secret_access_key="test",
    # No retries: a request the gateway could not serve must show as failed.
    config=Config(retries={"total_max_attempts": 1}, read_timeout=300, max_pool_connections=count),
)


def call(i):
    started = time.monotonic()
    try:
        answer = runtime.invoke_endpoint(
            EndpointName=endpoint,
            InferenceComponentName=component,
            Body=json.dumps({"client": "boto3", "i": i}).encode(),
            ContentType="application/json",
        )
        return {"status": 200, "body": answer["Body"].read().decode(),
                "seconds": round(time.monotonic() - started, 3)}
    except runtime.exceptions.ClientError as e:
        return {"status": e.response["ResponseMetadata"]["HTTPStatusCode"],
                "error": e.response["Error"].get("Code")}
    except Exception as e:  # connection reset, timeout: a lost request
        return {"status": 0, "error": repr(e)}


with ThreadPoolExecutor(max_workers=count) as pool:
    for result in pool.map(call, range(count)):
        print(json.dumps(result), flush=True)
