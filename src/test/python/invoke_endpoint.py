"""boto3's sagemaker-runtime client, unchanged but for endpoint_url, against Ebb's gateway.

Usage: invoke_endpoint.py GATEWAY_URL ENDPOINT_NAME COMPONENT BODY
Prints one JSON line for a successful invocation, one for a model that fails, and one for a
streamed answer (InvokeEndpointWithResponseStream).
"""
import json
import sys

import boto3
from botocore.config import Config

url, endpoint, component, body = sys.argv[1:5]
runtime = boto3.client(
    "sagemaker-runtime",
    endpoint_url=url,
    region_name="us-east-1",
    aws_access_key_id="test",
    aws_secret_access_key="test",
    config=Config(retries={"max_attempts": 1}),
)
target = {"InferenceComponentName": component} if component else {}

answer = runtime.invoke_endpoint(
    EndpointName=endpoint,
    Body=body.encode(),
    ContentType="application/json",
    Accept="application/json",
    CustomAttributes="client=boto3",
    **target,
)
print(json.dumps({
    "body": answer["Body"].read().decode(),
    "contentType": answer["ContentType"],
    "variant": answer["InvokedProductionVariant"],
    "customAttributes": answer.get("CustomAttributes"),
}))

try:
    runtime.invoke_endpoint(EndpointName=endpoint, Body=b"x", CustomAttributes="fail", **target)
    print(json.dumps({"error": None}))
except runtime.exceptions.ModelError as e:
    print(json.dumps({
        "error": e.response["Error"]["Code"],
        "originalStatusCode": e.response.get("OriginalStatusCode"),
    }))

streamed = runtime.invoke_endpoint_with_response_stream(
    EndpointName=endpoint,
    Body=body.encode(),
    ContentType="text/plain",
    CustomAttributes="stream",
    **target,
)
parts = [event["PayloadPart"]["Bytes"] for event in streamed["Body"] if "PayloadPart" in event]
print(json.dumps({
    "streamed": b"".join(parts).decode(),
    "parts": len(parts),
    "contentType": streamed["ContentType"],
    "variant": streamed["InvokedProductionVariant"],
}))
