"""boto3's sagemaker-runtime client against Ebb's gateway: InvokeEndpointAsync, with an API key.

Usage: invoke_endpoint_async.py GATEWAY_URL ENDPOINT_NAME INPUT_LOCATION API_KEY
The API key travels in X-Api-Key, added by an event hook as docs/gateway.md shows (boto3 signs
Authorization itself). Prints one JSON line: the answer's InferenceId and OutputLocation, then one
for the same call without the key (the gateway's refusal).
"""
import json
import sys

import boto3
from botocore.config import Config

url, endpoint, input_location, key = sys.argv[1:5]


def client(api_key):
    runtime = boto3.client(
        "sagemaker-runtime",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}),
    )
    if api_key:
        runtime.meta.events.register(
            "before-sign.sagemaker-runtime.*",
            lambda request, **kw: request.headers.__setitem__("X-Api-Key", api_key),
        )
    return runtime


answer = client(key).invoke_endpoint_async(
    EndpointName=endpoint, InputLocation=input_location, ContentType="application/json"
)
print(json.dumps({"inferenceId": answer["InferenceId"], "outputLocation": answer["OutputLocation"]}))

try:
    client(None).invoke_endpoint_async(EndpointName=endpoint, InputLocation=input_location)
    print(json.dumps({"error": None}))
except Exception as e:  # botocore raises a ClientError subclass named after the code
    print(json.dumps({"error": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}))
