package dev.ebb.sagemaker;

/**
 * A classified AWS failure: what kind it is, AWS's error code and message (verbatim, for status and
 * events), and the operation that failed.
 */
public record AwsFailure(AwsErrorKind kind, String errorCode, String message, String operation) {}
