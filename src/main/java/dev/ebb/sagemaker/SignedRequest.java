package dev.ebb.sagemaker;

import java.util.List;
import java.util.Map;

/**
 * A request to an AWS endpoint, signed with SigV4, for a caller that sends it with its own
 * (non-blocking) HTTP client: send exactly these headers and the body that was signed.
 */
public record SignedRequest(String url, Map<String, List<String>> headers) {}
